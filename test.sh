#!/usr/bin/env bash
# Runs every test project. Installs what the tests need when it is missing, then ends with
# a line "N passed, N failed". Exit code is non-zero when anything failed or did not build.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)

need_apt=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need_apt+=(mosquitto-clients)
command -v socat >/dev/null 2>&1 || need_apt+=(socat)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null \
    || echo "test.sh: could not install ${need_apt[*]}; the tests that need them will fail and say so"
fi

# Browser libraries come from npm through the lock file.
if [ -f src/Telecare.Gateway/package-lock.json ] && [ ! -d src/Telecare.Gateway/node_modules ]; then
  (cd src/Telecare.Gateway && npm ci --no-audit --no-fund --loglevel=error) || echo "test.sh: npm ci failed"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export TELECARE_FUZZ_ITERATIONS="${TELECARE_FUZZ_ITERATIONS:-2000}"

passed=0; failed=0
mkdir -p TestResults
if ! dotnet build TelecareGateway.sln -c Release -nologo -v q >TestResults/build.log 2>&1; then
  grep -E "error|Error" TestResults/build.log | sort -u | head -n 40
  echo "test.sh: the build failed (TestResults/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi

for proj in tests/*.Tests/*.csproj; do
  name=$(basename "$proj" .csproj)
  log="TestResults/$name.log"
  echo "== $name"
  dotnet test "$proj" -c Release --no-build --nologo \
    --blame-hang-timeout 10m \
    --logger "console;verbosity=normal" --results-directory "TestResults/$name" >"$log" 2>&1
  rc=$?
  # Failed and skipped tests with their messages; then the runner's own totals ("Passed: N", "Failed: N").
  # -a: a test's output may hold raw bytes (fuzzing, serial noise); grep must still read the log as text.
  grep -a -E -A 12 "^\s+(Failed|Skipped) [A-Za-z]" "$log" | head -n 300
  p=$(grep -a -E "^\s+Passed: +[0-9]+" "$log" | tail -n 1 | grep -oE "[0-9]+"); p=${p:-0}
  f=$(grep -a -E "^\s+Failed: +[0-9]+" "$log" | tail -n 1 | grep -oE "[0-9]+"); f=${f:-0}
  echo "   $p passed, $f failed"
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "test.sh: $name exited $rc without a failed test (crash or hang); see $log"; tail -n 40 "$log"; f=1
  elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "test.sh: no test results found for $name; see $log"; f=1
  fi
  passed=$((passed + p)); failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
