<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * What the buyer chose at checkout, from WooCommerce's tokenization fields (classic checkout)
 * or the Checkout block's payment data (which WooCommerce puts into the same request fields):
 * a saved card (`wc-mypos_ipc-payment-token` = its id), or a new card to save
 * (`wc-mypos_ipc-new-payment-method`).
 */
final class CheckoutChoice
{
    private const TOKEN_FIELD = 'wc-mypos_ipc-payment-token';
    private const SAVE_FIELD = 'wc-mypos_ipc-new-payment-method';

    private function __construct(public readonly ?int $tokenId, public readonly bool $saveCard)
    {
    }

    /** @param array<string, mixed> $post */
    public static function fromPost(array $post): self
    {
        $token = $post[self::TOKEN_FIELD] ?? 'new';
        $tokenId = is_string($token) && ctype_digit($token) && strlen($token) < 19 ? (int) $token : null;
        $save = $post[self::SAVE_FIELD] ?? '';
        return new self(
            $tokenId !== null && $tokenId > 0 ? $tokenId : null,
            in_array($save, ['true', '1', 'yes', 'on'], true)
        );
    }
}
