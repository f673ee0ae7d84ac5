#!/bin/bash
# make demo: the main job on a built-in example: read a realistic router
# export the way RouterOS would run it (check, dump), then compile it to the
# nftables ruleset that makes a Linux box that firewall.
set -e
rosfw=${1:-build/rosfw}
ex=examples/home-office-router.rsc
echo "\$ rosfw check $ex"
"$rosfw" check "$ex"
echo "(exit $?: no errors)"
echo
echo "\$ rosfw dump $ex | head -40"
"$rosfw" dump "$ex" 2>/dev/null | head -40
echo
echo "\$ rosfw compile --unsupported=skip-rule $ex"
"$rosfw" compile --unsupported=skip-rule "$ex"
