<?php
// Drives Custos with Openprovider's official PHP REST client (openprovider/rest-client-php), by
// hand: the client is GitHub-only and not part of CI. See README.md next to this file.
// Usage: php php-client.php <client src dir> <base url> <username> <password>

declare(strict_types=1);

require '/usr/share/php/GuzzleHttp/autoload.php';

[$self, $clientSrc, $base, $username, $password] = $argv + [null, null, null, null, null];
if ($password === null) {
    fwrite(STDERR, "usage: php php-client.php <client src dir> <base url> <username> <password>\n");
    exit(2);
}

spl_autoload_register(function (string $class) use ($clientSrc): void {
    $prefix = 'Openprovider\\Api\\Rest\\Client\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $map = ['Template\\' => 'EmailTemplate\\'];
    $rest = substr($class, strlen($prefix));
    foreach ($map as $from => $to) {
        if (strncmp($rest, $from, strlen($from)) === 0) {
            $rest = $to . substr($rest, strlen($from));
        }
    }
    $file = $clientSrc . '/' . str_replace('\\', '/', $rest) . '.php';
    if (is_file($file)) {
        require $file;
    }
});

use Openprovider\Api\Rest\Client\Auth\Model\AuthLoginRequest;
use Openprovider\Api\Rest\Client\Base\ApiException;
use Openprovider\Api\Rest\Client\Base\Configuration;
use Openprovider\Api\Rest\Client\Client;
use Openprovider\Api\Rest\Client\Person\Model\ContactAddress;
use Openprovider\Api\Rest\Client\Person\Model\ContactName;
use Openprovider\Api\Rest\Client\Person\Model\ContactPhone;
use Openprovider\Api\Rest\Client\Person\Model\CustomerCreateCustomerRequest;
use Openprovider\Api\Rest\Client\Person\Model\CustomerCustomerAdditionalData;
use Openprovider\Api\Rest\Client\Person\Model\CustomerExtensionAdditionalData;
use Openprovider\Api\Rest\Client\Person\Model\CustomerExtensionData;
use Openprovider\Api\Rest\Client\Person\Model\CustomerTags;
use Openprovider\Api\Rest\Client\Person\Model\CustomerUpdateCustomerRequest;
use GuzzleHttp\Client as HttpClient;

$failures = 0;
function check(bool $ok, string $what): void
{
    global $failures;
    echo ($ok ? "ok   " : "FAIL ") . $what . "\n";
    if (!$ok) {
        $failures++;
    }
}

$configuration = new Configuration();
$configuration->setHost($base);
$client = new Client(new HttpClient(), $configuration);

$login = $client->getAuthModule()->getAuthApi()->login(new AuthLoginRequest(['username' => $username, 'password' => $password, 'ip' => '0.0.0.0']));
check($login->getCode() === 0, 'login answers code 0');
check(preg_match('/^[0-9a-f]{32}$/', (string) $login->getData()->getToken()) === 1, 'login token is 32 hex digits');
check(is_int($login->getData()->getResellerId()), 'reseller_id is an integer');
$configuration->setAccessToken($login->getData()->getToken());

$customers = $client->getPersonModule()->getCustomerApi();
$email = 'php' . bin2hex(random_bytes(4)) . '@example.com';
$created = $customers->createCustomer(new CustomerCreateCustomerRequest([
    'name' => new ContactName(['first_name' => 'Piet', 'last_name' => 'Hein', 'initials' => 'P.']),
    'address' => new ContactAddress(['street' => 'Albusstraat', 'number' => '83', 'zipcode' => '4903 RG', 'city' => 'Oosterhout', 'country' => 'NL']),
    'phone' => new ContactPhone(['country_code' => '+31', 'area_code' => '162', 'subscriber_number' => '123456']),
    'email' => $email,
    'tags' => [new CustomerTags(['key' => 'customer', 'value' => 'php'])],
    'additional_data' => new CustomerCustomerAdditionalData(['company_registration_number' => '12345678']),
    'extension_additional_data' => [new CustomerExtensionAdditionalData(['name' => 'us', 'data' => new CustomerExtensionData(['nexus_category' => 'C11', 'applicant_purpose' => 'P1'])])],
]));
$handle = $created->getData()->getHandle();
check(preg_match('/^PH\d{6}-NL$/', (string) $handle) === 1, "create answers a handle ($handle)");

$got = $customers->getCustomer($handle, true)->getData();
check($got->getName()->getLastName() === 'Hein', 'get: name.last_name');
check($got->getAddress()->getCity() === 'Oosterhout', 'get: address.city');
check($got->getPhone()->getCountryCode() === '+31' && $got->getPhone()->getAreaCode() === '162' && $got->getPhone()->getSubscriberNumber() === '123456', 'get: phone parts');
check($got->getAdditionalData()->getCompanyRegistrationNumber() === '12345678', 'get: additional_data.company_registration_number');
check(is_int($got->getId()), 'get: id is an integer');
check($got->getExtensionAdditionalData()[0]->getData()->getNexusCategory() === 'C11', 'get: extension_additional_data[0].data.nexus_category');

$updated = $customers->updateCustomer($handle, new CustomerUpdateCustomerRequest([
    'address' => new ContactAddress(['street' => 'Albusstraat', 'number' => '85', 'zipcode' => '4903 RG', 'city' => 'Breda', 'country' => 'NL']),
    'email' => $email,
    'phone' => new ContactPhone(['country_code' => '+31', 'area_code' => '76', 'subscriber_number' => '5141234']),
]));
check($updated->getData()->getSuccess() === true, 'update answers success');
check($customers->getCustomer($handle)->getData()->getAddress()->getCity() === 'Breda', 'update took effect');

$list = $customers->listCustomers(null, 10, 0, 'ASC', null, $email)->getData();
check($list->getTotal() === 1 && $list->getResults()[0]->getHandle() === $handle, 'list by email_pattern finds it');

try {
    $customers->getCustomer('ZZ000000-ZZ');
    check(false, 'a missing handle throws');
} catch (ApiException $e) {
    check($e->getCode() === 404, 'a missing handle is an ApiException with HTTP 404');
    $body = json_decode((string) $e->getResponseBody(), true);
    check(is_array($body) && $body['code'] === 101, 'its body parses as {desc, code}');
}

$deleted = $customers->deleteCustomer($handle);
check($deleted->getData()->getSuccess() === true, 'delete answers success');

$configuration->setAccessToken('0123456789abcdef0123456789abcdef');
try {
    $customers->listCustomers();
    check(false, 'a dead token throws');
} catch (ApiException $e) {
    check($e->getCode() === 401, 'a dead token is an ApiException with HTTP 401');
    $summary = $e->getMessage();
    $json = substr($summary, strpos($summary, '{'));
    $body = json_decode($json, true);
    check(is_array($body) && $body['code'] === 196, 'the message Guzzle cut at 120 characters still parses: ' . $json);
}

echo $failures === 0 ? "all checks passed\n" : "$failures check(s) failed\n";
exit($failures === 0 ? 0 : 1);
