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
    var Content = function () {
        return el('div', null, decode(data.description || ''));
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
        supports: { features: data.supports || ['products'] }
    });
}());
