<?php

// Key rotation (issue 16): two myPOS certificates accepted at once and which one matched,
// retiring the old one, a second merchant key made active, notAfter. Keys and certificates
// are made here, at test time, so none expires under the suite.
declare(strict_types=1);

require __DIR__ . '/tap.php';

use MyPOS\IPC;

/** @return array{0: string, 1: string} private key PEM and a self-signed certificate valid $days days */
function identity(string $cn, int $days): array
{
    $key = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
    $csr = openssl_csr_new(['commonName' => $cn], $key, ['digest_alg' => 'sha256']);
    $cert = openssl_csr_sign($csr, null, $key, $days, ['digest_alg' => 'sha256']);
    openssl_pkey_export($key, $keyPem);
    openssl_x509_export($cert, $certPem);
    return [$keyPem, $certPem];
}

$notify = 'IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=24.45&Currency=EUR&OrderID=ORD-1'
    . '&IPC_Trnref=410227&RequestSTAN=083107&RequestDateTime=2026-11-23+10%3A15%3A00&PaymentMethod=1'
    . '&BillingDescriptor=myPOS&PAN=0007';
[$oldKey, $oldCert] = identity('myPOS old', 30);
[$newKey, $newCert] = identity('myPOS new', 365);
[$m2Key, $m2Cert] = identity('merchant 2', 365);
$byOld = IPC\sign_form($notify, $oldKey);
$byNew = IPC\sign_form($notify, $newKey);

$before = IPC\Config::fromArray(['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1,
    'private_key' => data('keys/merchant_private.pem'), 'mypos_certificate' => $oldCert]);
Tap::is($before->certificateCount(), 1, 'one certificate');
Tap::is($before->notification($byOld)->certificateIndex(), 0, 'before: the old notify verifies with certificate 0');
Tap::throws(fn () => $before->notification($byNew), IPC\SignatureException::class, 'before: the new notify is refused');

$overlap = $before->withCertificate($newCert);
Tap::is([$before->certificateCount(), $overlap->certificateCount()], [1, 2], 'withCertificate() returns a copy with two');
Tap::is($overlap->notification($byOld)->certificateIndex(), 0, 'overlap: old notify, certificate 0');
Tap::is($overlap->notification($byNew)->certificateIndex(), 1, 'overlap: new notify, certificate 1');
Tap::is($overlap->notification($byNew)->orderId(), 'ORD-1', 'overlap: the message reads as before');
$sig = IPC\sign(['Status' => '0', 'StatusMsg' => 'ok'], $newKey);
$answer = json_encode(['Status' => '0', 'StatusMsg' => 'ok', 'Signature' => $sig]);
Tap::is($overlap->response($answer)->certificateIndex(), 1, 'overlap: an API answer by the new certificate, certificate 1');
Tap::throws(fn () => $overlap->withCertificate($newCert), IPC\ConfigException::class, 'the same certificate twice throws', 'same key');
Tap::throws(fn () => $overlap->withCertificate('junk'), IPC\ConfigException::class, 'a certificate that does not parse throws');

$after = $overlap->withoutCertificate($oldCert);
Tap::throws(fn () => $after->notification($byOld), IPC\SignatureException::class, 'after: the retired certificate is refused');
Tap::is($after->notification($byNew)->certificateIndex(), 0, 'after: the new notify, certificate 0');
Tap::throws(fn () => $after->withoutCertificate($newCert), IPC\ConfigException::class, 'the last certificate cannot be retired', 'only');

$two = $after->withKey(2, $m2Key);
Tap::is([$two->keyIndexes(), $two->keyIndex()], [[1, 2], 1], 'withKey() holds KeyIndex 2, still signing with 1');
Tap::throws(fn () => $two->withKey(2, $m2Key), IPC\ConfigException::class, 'KeyIndex 2 twice throws');
Tap::throws(fn () => $two->useKey(3), IPC\ConfigException::class, 'useKey() of a KeyIndex not held throws', 'held: 1, 2');
Tap::throws(fn () => $two->useKey(0), IPC\ConfigException::class, 'useKey(0) throws');
$e = Tap::throws(fn () => $two->withKey(3, 'not a key'), IPC\ConfigException::class, 'withKey() with a bad key throws');
Tap::ok($e !== null && !str_contains((string) $e, 'not a key'), 'the key is not in the exception or its trace');
$active = $two->useKey(2);
Tap::is($active->keyIndex(), 2, 'useKey(2) signs with KeyIndex 2');
$req = $active->getTxnStatus('ORD-1');
Tap::is($req->fields()['KeyIndex'], '2', 'the request carries KeyIndex 2');
Tap::ok(IPC\verify($req->fields(), $m2Cert), 'the request verifies with merchant certificate 2');

$end = IPC\certificate_not_after($oldCert);
Tap::ok(is_int($end) && $end > time() + 29 * 86400 && $end <= time() + 30 * 86400 + 60, 'certificate_not_after() is 30 days from now');
Tap::is(IPC\certificate_not_after(openssl_pkey_get_details(openssl_pkey_get_public($newCert))['key']), null, 'a bare public key has no notAfter');
Tap::throws(fn () => IPC\certificate_not_after('junk'), IPC\MalformedInputException::class, 'certificate_not_after() of junk throws');

Tap::finish();
