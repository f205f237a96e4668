/* Registers the myPOS IPC gateway with the WooCommerce Checkout block (no build step). */
(function () {
    'use strict';
    var registry = window.wc && window.wc.wcBlocksRegistry;
    var settings = window.wc && window.wc.wcSettings;
    if (!registry || !settings) {
        return;
    }
    var data = settings.getSetting('mypos_ipc_data', {});
    var decode = (window.wp && window.wp.htmlEntities && window.wp.htmlEntities.decodeEntities) || function (s) { return s; };
    var el = window.wp.element.createElement;
    var __ = (window.wp && window.wp.i18n && window.wp.i18n.__) || function (s) { return s; };
    var title = decode(data.title || __('Card payment (myPOS)', 'mypos-ipc'));
    var useState = window.wp.element.useState;
    var useEffect = window.wp.element.useEffect;
    /* The description, and for a logged-in buyer "Save this card" (sent in paymentMethodData,
       under the name WooCommerce's classic checkout uses). */
    var Content = function (props) {
        var saved = useState(false);
        var save = saved[0];
        var setSave = saved[1];
        var events = (props && props.eventRegistration) || {};
        var setup = events.onPaymentSetup || events.onPaymentProcessing; /* the older name */
        useEffect(function () {
            if (!setup) {
                return undefined;
            }
            return setup(function () {
                return {
                    type: 'success',
                    meta: { paymentMethodData: { 'wc-mypos_ipc-new-payment-method': save ? 'true' : '' } }
                };
            });
        }, [setup, save]);
        var box = data.canSaveCard
            ? el('p', { className: 'mypos-ipc-save-card' },
                el('label', null,
                    el('input', { type: 'checkbox', checked: save, onChange: function (e) { setSave(e.target.checked); } }),
                    ' ',
                    decode(data.saveCardLabel || __('Save this card for future purchases', 'mypos-ipc'))))
            : null;
        return el('div', null, decode(data.description || ''), box);
    };
    registry.registerPaymentMethod({
        name: 'mypos_ipc',
        label: el('span', { className: 'mypos-ipc-label', style: { display: 'inline-flex', alignItems: 'center', gap: '0.5em' } },
            title,
            data.icon ? el('img', { src: data.icon, alt: 'myPOS', height: 24, style: { height: '24px', width: 'auto' } }) : null),
        /* translators: %s: the payment method's title, e.g. "Card payment (myPOS)" */
        ariaLabel: (window.wp && window.wp.i18n ? window.wp.i18n.sprintf(__('Pay with %s', 'mypos-ipc'), title) : title),
        content: el(Content, null),
        edit: el(Content, null),
        canMakePayment: function () { return true; },
        supports: { features: data.supports || ['products'], showSavedCards: !!data.showSavedCards, showSaveOption: false }
    });
}());
