<?php
// The demo shop: a router for `php -S` (with the mypos_ipc extension loaded).
// Routes: GET / (products), POST /cart, POST /checkout, POST /pay, POST /notify, POST /ok, POST /cancel,
// GET /orders (?format=json), POST /refund.

declare(strict_types=1);

require __DIR__ . '/lib.php';

$route = (string) parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$method = $_SERVER['REQUEST_METHOD'] ?? 'GET';

try {
    match ([$method, $route]) {
        ['GET', '/'] => products_page(),
        ['POST', '/cart'] => cart_page(),
        ['POST', '/checkout'] => checkout(),
        ['POST', '/pay'] => pay_form((string) ($_POST['order'] ?? '')),
        ['POST', '/notify'] => notify((string) file_get_contents('php://input')),
        ['POST', '/ok'], ['POST', '/cancel'] => buyer_returns((string) file_get_contents('php://input')),
        ['GET', '/orders'] => orders_page(($_GET['format'] ?? '') === 'json'),
        ['POST', '/refund'] => refund((string) ($_POST['order'] ?? ''), (int) ($_POST['amount'] ?? 0)),
        default => fail(404, 'no such page'),
    };
} catch (\MyPOS\IPC\Exception $e) {
    fail(400, get_class($e) . ': ' . $e->getMessage());
} catch (\Throwable $e) {
    fail(500, 'error: ' . $e->getMessage());
}

function fail(int $status, string $message): void
{
    http_response_code($status);
    error_log("demo shop: $status $message");
    page('Error', '<p class="error">' . h($message) . '</p>');
}

function products_page(): void
{
    $options = '';
    foreach (PRODUCTS as $id => $p) {
        $options .= '<option value="' . h($id) . '">' . h($p['name'] . ' — ' . money($p['price'])) . '</option>';
    }
    page('Demo shop', <<<HTML
        <form method="post" action="/cart">
        <p><label>Product <select name="product">$options</select></label>
        <label>Quantity <input name="quantity" type="number" value="1" min="1" max="9"></label></p>
        <p><label><input type="checkbox" name="fail_notify" value="1"> demo switch: the shop answers
        the payment notification with HTTP 500 instead of OK (myPOS then reverses the payment)</label></p>
        <p><button type="submit">Add to cart</button></p>
        </form>
        HTML);
}

/** The cart (one line, kept in the form): review it, then checkout. */
function cart_page(): void
{
    $id = (string) ($_POST['product'] ?? '');
    $quantity = (int) ($_POST['quantity'] ?? 1);
    $product = PRODUCTS[$id] ?? null;
    if ($product === null || $quantity < 1 || $quantity > 9) {
        fail(400, 'unknown product or bad quantity');
        return;
    }
    $failNotify = ($_POST['fail_notify'] ?? '') === '1' ? '<input type="hidden" name="fail_notify" value="1">' : '';
    page('Cart', '<table border="1"><tr><th>item</th><th>quantity</th><th>total</th></tr><tr><td>' . h($product['name'])
        . "</td><td>$quantity</td><td id=\"total\">" . h(money($product['price'] * $quantity)) . "</td></tr></table>\n"
        . '<form method="post" action="/checkout"><input type="hidden" name="product" value="' . h($id) . '">'
        . "<input type=\"hidden\" name=\"quantity\" value=\"$quantity\">$failNotify\n"
        . '<p><button type="submit">Checkout and pay with myPOS</button></p></form>');
}

/** Creates a pending order from the cart and sends the buyer to myPOS. */
function checkout(): void
{
    $product = PRODUCTS[$_POST['product'] ?? ''] ?? null;
    $quantity = (int) ($_POST['quantity'] ?? 1);
    if ($product === null || $quantity < 1 || $quantity > 9) {
        fail(400, 'unknown product or bad quantity');
        return;
    }
    $id = 'demo' . date('YmdHis') . bin2hex(random_bytes(3));
    with_orders(function (array $orders) use ($id, $product, $quantity) {
        $orders[$id] = [
            'id' => $id, 'article' => $product['name'], 'quantity' => $quantity, 'unit_price' => $product['price'],
            'amount' => $product['price'] * $quantity, 'currency' => CURRENCY, 'state' => 'pending', 'trnref' => null,
            'fail_notify' => ($_POST['fail_notify'] ?? '') === '1', 'refunds' => [], 'notes' => [],
        ];
        return $orders;
    });
    pay_form($id);
}

/** The auto-submitting signed IPCPurchase form for a payable order. */
function pay_form(string $id): void
{
    $order = load_orders()[$id] ?? null;
    if ($order === null || !in_array($order['state'], ['pending', 'failed'], true)) {
        fail(400, 'no payable order ' . $id);
        return;
    }
    $request = shop_config()->purchase([
        'order_id' => $id, 'amount' => $order['amount'], 'currency' => $order['currency'],
        'url_ok' => shop_url('/ok'), 'url_cancel' => shop_url('/cancel'), 'url_notify' => shop_url('/notify'),
        'note' => 'demo order', 'cart' => [['article' => $order['article'], 'quantity' => $order['quantity'], 'unit_price' => $order['unit_price']]],
    ]);
    header('Content-Type: text/html; charset=utf-8');
    echo $request->htmlForm();
}

/** myPOS server-to-server: verify, decide under the lock, save, and only then answer. */
function notify(string $rawBody): void
{
    $notification = shop_config()->notification($rawBody); // throws on a bad signature / body
    $id = (string) $notification->orderId();
    $status = 200;
    $body = '';
    with_orders(function (array $orders) use ($notification, $id, &$status, &$body) {
        $order = $orders[$id] ?? null;
        if ($order !== null && $order['fail_notify'] && $notification->kind() === 'notify') {
            $orders[$id]['notes'][] = 'demo switch: notify answered with HTTP 500';
            [$status, $body] = [500, 'merchant error (demo switch)'];
            return $orders;
        }
        $decision = $notification->decide($order === null ? null : snapshot($order));
        if ($order !== null) {
            $orders[$id] = apply_decision($order, $decision);
        }
        [$status, $body] = [$decision->httpStatus(), $decision->body()];
        error_log(sprintf('demo shop: %s for %s: %s, answer %d %s', $notification->method(), $id, $decision->action(), $status, $body));
        return $orders;
    });
    http_response_code($status);
    header('Content-Type: text/plain');
    echo $body;
}

/** The buyer's browser back from myPOS (signed IPCPurchaseOK or IPCPurchaseCancel form). */
function buyer_returns(string $rawBody): void
{
    $notification = shop_config()->notification($rawBody);
    $id = (string) $notification->orderId();
    $state = 'unknown';
    with_orders(function (array $orders) use ($notification, $id, &$state) {
        if (isset($orders[$id])) {
            $orders[$id] = apply_decision($orders[$id], $notification->decide(snapshot($orders[$id])));
            $state = $orders[$id]['state'];
        }
        return $orders;
    });
    $title = $notification->kind() === 'ok' ? 'Thank you' : 'Payment not completed';
    $again = in_array($state, ['pending', 'failed'], true)
        ? '<form method="post" action="/pay"><input type="hidden" name="order" value="' . h($id) . '"><button>Pay again</button></form>'
        : '';
    page($title, '<p>Order <span id="order">' . h($id) . '</span> is <span id="state">' . h($state) . "</span>.</p>\n$again");
}

function orders_page(bool $json): void
{
    $orders = load_orders();
    if ($json) {
        header('Content-Type: application/json');
        echo json_encode(array_values($orders), JSON_PRETTY_PRINT | JSON_THROW_ON_ERROR);
        return;
    }
    $rows = '';
    foreach ($orders as $o) {
        $refunded = array_sum(array_column($o['refunds'], 'amount'));
        $action = '';
        if ($o['state'] === 'processing') {
            $action = '<form method="post" action="/refund"><input type="hidden" name="order" value="' . h($o['id']) . '">'
                . '<input name="amount" type="number" min="1" max="' . ($o['amount'] - $refunded) . '" value="' . intdiv($o['amount'], 2) . '"> cents '
                . '<button>Refund</button></form>';
        } elseif (in_array($o['state'], ['pending', 'failed'], true)) {
            $action = '<form method="post" action="/pay"><input type="hidden" name="order" value="' . h($o['id']) . '"><button>Pay again</button></form>';
        }
        $rows .= sprintf("<tr id=\"order-%s\"><td>%s</td><td>%s × %d</td><td>%s</td><td class=\"state\">%s</td><td>%s</td><td class=\"notes\">%s</td><td>%s</td></tr>\n",
            h($o['id']), h($o['id']), h($o['article']), $o['quantity'], money($o['amount']), h($o['state']), money($refunded),
            implode('<br>', array_map('h', $o['notes'])), $action);
    }
    page('Orders', "<table border=\"1\"><tr><th>order</th><th>item</th><th>amount</th><th>state</th><th>refunded</th><th>notes</th><th></th></tr>\n$rows</table>");
}

/** Server-to-server IPCRefund to myPOS; the refund counts only when the signed answer verifies and says success. */
function refund(string $id, int $amount): void
{
    $order = load_orders()[$id] ?? null;
    $left = $order === null ? 0 : $order['amount'] - array_sum(array_column($order['refunds'], 'amount'));
    if ($order === null || $order['state'] !== 'processing' || $amount < 1 || $amount > $left) {
        fail(400, "cannot refund $amount cents of order $id");
        return;
    }
    $config = shop_config();
    $request = $config->refund($id, (string) $order['trnref'], $amount, $order['currency'], 'json');
    $answer = @file_get_contents($request->actionUrl(), false, stream_context_create(['http' => [
        'method' => 'POST', 'header' => "Content-Type: application/x-www-form-urlencoded\r\n",
        'content' => $request->body(), 'timeout' => 10, 'ignore_errors' => true,
    ]]));
    if ($answer === false) {
        fail(502, 'myPOS did not answer the refund request');
        return;
    }
    $response = $config->response($answer, 'json'); // throws unless the signature verifies
    if (!$response->isSuccess()) {
        fail(502, sprintf('myPOS refused the refund: %s (%d %s)', $response->statusMessage(), $response->status(), $response->statusName()));
        return;
    }
    $state = '';
    with_orders(function (array $orders) use ($id, $amount, $response, &$state) {
        $orders[$id]['refunds'][] = ['amount' => $amount, 'trnref' => $response->get('IPC_Trnref')];
        if (array_sum(array_column($orders[$id]['refunds'], 'amount')) >= $orders[$id]['amount']) {
            $orders[$id]['state'] = 'refunded';
        }
        $state = $orders[$id]['state'];
        return $orders;
    });
    page('Refund accepted', '<p>Refunded ' . h(money($amount)) . ' of order <span id="order">' . h($id)
        . '</span>, now <span id="state">' . h($state) . '</span>.</p>');
}
