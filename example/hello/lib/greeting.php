<?php
function greeting(): string {
    return 'Hello from codesync';
}
