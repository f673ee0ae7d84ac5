#!/bin/bash
# make demo: the main job on a built-in example. For now that is reading a
# real router export the way RouterOS would run it: check, then dump.
set -e
rosfw=${1:-build/rosfw}
ex=examples/home-office-router.rsc
echo "\$ rosfw check $ex"
"$rosfw" check "$ex"
echo "(exit $?: no errors)"
echo
echo "\$ rosfw dump $ex"
"$rosfw" dump "$ex" 2>/dev/null
