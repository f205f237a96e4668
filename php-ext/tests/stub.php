<?php

// php-ext/mypos_ipc.stub.php must describe exactly what the loaded extension registers:
// functions, classes (parent, final), methods (static, parameters, types, optionality),
// return types and constants. The stub is reflected in a second PHP process without the
// extension (its names would collide) and both descriptions are compared.
declare(strict_types=1);

if (($argv[1] ?? '') === '--describe-stub') {
    // Child process: no extension loaded.
    require dirname(__DIR__) . '/mypos_ipc.stub.php';
    echo json_encode(describe(fn () => [
        array_values(array_filter(get_defined_functions()['user'], fn ($f) => str_starts_with($f, 'mypos\\ipc\\'))),
        array_values(array_filter(get_declared_classes(), fn ($c) => str_starts_with($c, 'MyPOS\\IPC\\'))),
        array_filter(get_defined_constants(true)['user'] ?? [], fn ($k) => str_starts_with($k, 'MyPOS\\IPC\\'), ARRAY_FILTER_USE_KEY),
    ]), JSON_PRETTY_PRINT), "\n";
    exit(0);
}
require __DIR__ . '/tap.php';

function type(?ReflectionType $t): string
{
    return $t === null ? '' : (string) $t;
}

function params(ReflectionFunctionAbstract $f): array
{
    $out = [];
    foreach ($f->getParameters() as $p) {
        $attrs = array_map(fn ($a) => '#[' . $a->getName() . '] ', $p->getAttributes());
        $out[] = sprintf('%s%s $%s%s', implode('', $attrs), type($p->getType()), $p->getName(), $p->isOptional() ? ' = ?' : '');
    }
    return $out;
}

function describe(callable $names): array
{
    [$functions, $classes, $constants] = $names();
    $d = ['functions' => [], 'classes' => [], 'constants' => []];
    foreach ($functions as $fn) {
        $r = new ReflectionFunction($fn);
        $d['functions'][strtolower($r->getName())] = params($r) + ['return' => type($r->getReturnType())];
    }
    foreach ($classes as $c) {
        $r = new ReflectionClass($c);
        $methods = [];
        foreach ($r->getMethods() as $m) {
            // ext-php-rs gives every Rust-backed class a __construct that throws (not
            // constructible from PHP); the stub leaves it out.
            if ($m->getDeclaringClass()->getName() !== $r->getName() || $m->getName() === '__construct') {
                continue;
            }
            $methods[$m->getName()] = ($m->isStatic() ? 'static ' : '') . implode(', ', params($m)) . ' : ' . type($m->getReturnType());
        }
        ksort($methods);
        $d['classes'][$r->getName()] = [
            'parent' => $r->getParentClass() ? $r->getParentClass()->getName() : null,
            'final' => $r->isFinal(),
            'methods' => $methods,
            'constants' => $r->getConstants(ReflectionClassConstant::IS_PUBLIC) ?: null,
        ];
    }
    foreach ($constants as $k => $v) {
        $d['constants'][$k] = get_debug_type($v);
    }
    ksort($d['functions']);
    ksort($d['classes']);
    ksort($d['constants']);
    return $d;
}

$ext = new ReflectionExtension('mypos_ipc');
$actual = describe(fn () => [
    array_keys($ext->getFunctions()),
    $ext->getClassNames(),
    $ext->getConstants(),
]);
$cmd = escapeshellarg(PHP_BINARY) . ' -n ' . escapeshellarg(__FILE__) . ' --describe-stub';
$stub = json_decode((string) shell_exec($cmd), true);
Tap::ok(is_array($stub), 'the stub file loads and reflects without the extension');
$stub = is_array($stub) ? $stub : ['functions' => [], 'classes' => [], 'constants' => []];

foreach (['functions', 'classes', 'constants'] as $kind) {
    $names = array_unique(array_merge(array_keys($actual[$kind]), array_keys($stub[$kind])));
    sort($names);
    foreach ($names as $name) {
        $a = $actual[$kind][$name] ?? 'MISSING FROM THE EXTENSION';
        $s = $stub[$kind][$name] ?? 'MISSING FROM THE STUB';
        Tap::ok($a === $s, "stub matches the extension: $kind $name", "extension: " . json_encode($a) . "\nstub:      " . json_encode($s));
    }
}
Tap::is(count($actual['functions']), 13, 'the extension has the 13 functions (5 + config_pack_parts + 3 attempt OrderID + 3 amount functions + certificate_not_after)');
Tap::is(count($actual['classes']), 10, 'the extension has the 10 classes');
Tap::is($stub['constants']['MyPOS\\IPC\\VERSION'] ?? null, 'string', 'VERSION is documented');

Tap::finish();
