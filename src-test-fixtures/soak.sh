#!/bin/sh
# soak.sh [SECONDS] — the load test of issue 11 for longer than CI runs it (30 s there):
# worker threads begin and end scopes while storming malloc/free and the heap, each scope's
# figures checked to the byte (LoadTests). Default: 600 s. Run from the project root after a build.
set -eu
seconds=${1:-600}
exec mvn -B -ntp -pl src-test-fixtures -am verify -Dtest=LoadTests -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmemtrack.load.seconds="$seconds"
