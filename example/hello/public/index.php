<?php
// Served by nginx + php-fpm from apps/hello/current/public (see docs/wire-your-pods.md).
require __DIR__ . '/../lib/greeting.php';
header('Content-Type: text/plain');
echo greeting(), "\n";
