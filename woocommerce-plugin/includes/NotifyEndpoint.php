<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The ?wc-api=mypos_ipc endpoint (URL_Notify, URL_OK and URL_Cancel): hands the request to the
 * NotifyHandler and delivers its answer as the only output of the request.
 */
final class NotifyEndpoint
{
    /**
     * Gateway::ID's wc-api hook, spelled out: naming Gateway here would load it, and it extends
     * WC_Payment_Gateway, which does not exist yet when this plug-in loads before WooCommerce
     * (WordPress loads plug-ins by folder name: mypos-ipc-woocommerce sorts before woocommerce).
     */
    public const HOOK = 'woocommerce_api_mypos_ipc';
    /** The wc-api name of the endpoint (Gateway::ID, spelled out for the same reason). */
    private const ENDPOINT = 'mypos_ipc';

    /** @var \Closure(): NotifyHandler */
    private \Closure $handler;
    /** @var \Closure(): Log */
    private \Closure $log;

    /**
     * @param callable(): NotifyHandler $handler builds the handler when a request comes
     * @param callable(): Log $log builds the log when there is something to log
     */
    public function __construct(callable $handler, callable $log)
    {
        $this->handler = \Closure::fromCallable($handler);
        $this->log = \Closure::fromCallable($log);
    }

    /** Whether this request is for ?wc-api=mypos_ipc (or the /wc-api/mypos_ipc/ permalink). */
    public static function isRequest(): bool
    {
        $api = $_GET['wc-api'] ?? null; // phpcs:ignore -- routing only, myPOS signs the body
        if (is_string($api)) {
            return strtolower($api) === self::ENDPOINT;
        }
        $uri = (string) ($_SERVER['REQUEST_URI'] ?? '');
        return (bool) preg_match('#/wc-api/' . self::ENDPOINT . '/?(\?|$)#i', $uri);
    }

    /**
     * The wc-api action: answers myPOS and the returning buyer, then ends the request.
     */
    public function handle(): void
    {
        $body = (string) file_get_contents('php://input');
        if (Extension::problem() !== null) {
            $answer = new Answer(503, 'extension missing');
            $this->send($answer);
            NotifyStats::afterAnswer($answer, $body);
            exit;
        }
        $answer = $this->answer($body, (string) ($_SERVER['QUERY_STRING'] ?? ''));
        $this->send($answer);
        // Shutdown work (deferred e-mails, other plug-ins' shutdown hooks) and the health counters
        // run after this, when the answer has already been delivered.
        NotifyStats::afterAnswer($answer, $body);
        exit;
    }

    /**
     * The answer to one request at the endpoint: the POST body, or for a GET (IPCPurchaseOK /
     * IPCPurchaseCancel may come that way) the query string without the wc-api parameter.
     */
    public function answer(string $body, string $query): Answer
    {
        $started = microtime(true);
        $input = $body !== '' ? $body : $query;
        $answer = ($this->handler)()->handle($input);
        ($this->log)()->debug(sprintf(
            'notify endpoint: %s of %d bytes, IPCmethod %s (as claimed, before verification): %s in %d ms',
            $body !== '' ? 'body' : 'query string',
            strlen($input),
            self::claimedMethod($input),
            $answer->redirect !== null
                ? 'redirect to ' . $answer->redirect
                : 'HTTP ' . $answer->status . ' ' . json_encode($answer->body),
            (int) round((microtime(true) - $started) * 1000)
        ));
        return $answer;
    }

    /** The IPCmethod a request names, for the debug log only (letters only, at most 40). */
    private static function claimedMethod(string $input): string
    {
        parse_str($input, $fields);
        $method = $fields['IPCmethod'] ?? '';
        return is_string($method) && preg_match('/^[A-Za-z]{1,40}$/', $method) ? $method : '-';
    }

    /**
     * Sends an answer as the only output of the request and, where the server allows it,
     * completes the response so that myPOS has it before any later work runs. myPOS reverses
     * a payment whose answer is anything but the two bytes `OK`: whatever was printed before
     * (WooCommerce's wc-api buffer holding another plug-in's echo or a PHP notice, PHP's
     * output_buffering) is discarded, and whatever is printed after is swallowed.
     */
    public function send(Answer $answer): void
    {
        $discarded = self::discardOutputBuffers();
        $log = null;
        if ($discarded !== '') {
            $log = ($this->log)();
            $log->warning(sprintf('notify endpoint: discarded %d bytes printed before the answer', strlen($discarded)));
        }
        if (headers_sent($file, $line)) {
            $log ??= ($this->log)();
            $log->error("notify endpoint: output started at {$file}:{$line} before the answer; it may not be clean");
        }
        if ($answer->redirect !== null) {
            wp_safe_redirect($answer->redirect);
        } else {
            status_header($answer->status);
            header('Content-Type: text/plain; charset=utf-8');
            header('Content-Length: ' . strlen($answer->body));
            echo $answer->body;
        }
        self::finishResponse();
    }

    /** Closes every output buffer without sending it; returns what they held. */
    private static function discardOutputBuffers(): string
    {
        $held = '';
        while (ob_get_level() > 0) {
            $level = ob_get_level();
            $held = (string) ob_get_contents() . $held;
            // A buffer that cannot be removed (zlib.output_compression) is emptied instead.
            if (!@ob_end_clean()) {
                @ob_clean();
                break;
            }
            if (ob_get_level() >= $level) {
                break;
            }
        }
        return $held;
    }

    /**
     * Delivers the answer now: PHP-FPM's fastcgi_finish_request() (LiteSpeed's equivalent)
     * completes the HTTP response while PHP goes on with shutdown work. Elsewhere the answer
     * is flushed with its Content-Length. Later output is swallowed either way.
     */
    private static function finishResponse(): void
    {
        if (function_exists('fastcgi_finish_request')) {
            fastcgi_finish_request();
        } elseif (function_exists('litespeed_finish_request')) {
            litespeed_finish_request();
        } else {
            flush();
        }
        ob_start(static fn (): string => '');
    }
}
