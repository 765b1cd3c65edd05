# Sourced by `./carillon test`: makes sure what the test suites use outside Maven is here, installing it
# where this machine allows (Debian or Ubuntu, as root or with password-less sudo), else failing with the
# exact command to run. Set CARILLON_TEST_PREREQUISITES=skip to check nothing (e.g. `-pl carillon-tasks`).
#   chromium, chromium-driver   the browser tests (Selenium drives Debian's headless Chromium)
#   docker.io, debootstrap      the container image test (a local Debian 13 base, a running Docker engine)
#   python3-discord             the emulator's discord.py suite (ForeignClientsTest, compat/py)
#   nodejs, npm; npm ci         the emulator's discord.js suite (compat/js, versions pinned by its package-lock.json)
#                               and axe-core for the admin pages' accessibility check (carillon-bot/src/test/axe)

carillon_test_prerequisites() {
  [ "${CARILLON_TEST_PREREQUISITES:-}" = skip ] && return 0
  local missing=() as_root=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ -f /usr/lib/python3/dist-packages/discord/__init__.py ] || missing+=(python3-discord)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(none); fi
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    local install="apt-get update -q && apt-get install -y -q --no-install-recommends ${missing[*]}"
    if ! command -v apt-get >/dev/null 2>&1 || [ "${as_root[*]}" = none ]; then
      echo "carillon test: the tests need ${missing[*]}; install them as root: $install" >&2
      return 1
    fi
    echo "carillon test: installing Debian packages the tests need: ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" sh -c "$install" >/tmp/carillon-test-apt.log 2>&1 || {
      echo "carillon test: installing ${missing[*]} failed (see /tmp/carillon-test-apt.log); run as root: $install" >&2
      return 1
    }
  fi
  local compat_js
  compat_js="$(dirname "${BASH_SOURCE[0]}")/../compat/js"
  if [ ! -f "$compat_js/node_modules/.package-lock.json" ] || [ "$compat_js/package-lock.json" -nt "$compat_js/node_modules/.package-lock.json" ]; then
    echo "carillon test: installing the discord.js suite's npm packages (npm ci in compat/js)" >&2
    (cd "$compat_js" && npm ci --no-audit --no-fund >/tmp/carillon-test-npm.log 2>&1) || {
      echo "carillon test: npm ci in compat/js failed (see /tmp/carillon-test-npm.log)" >&2
      return 1
    }
  fi
  local axe
  axe="$(dirname "${BASH_SOURCE[0]}")/../carillon-bot/src/test/axe"
  if [ ! -f "$axe/node_modules/.package-lock.json" ] || [ "$axe/package-lock.json" -nt "$axe/node_modules/.package-lock.json" ]; then
    echo "carillon test: installing axe-core for the admin pages' accessibility check (npm ci in carillon-bot/src/test/axe)" >&2
    (cd "$axe" && npm ci --no-audit --no-fund >/tmp/carillon-test-npm-axe.log 2>&1) || {
      echo "carillon test: npm ci in carillon-bot/src/test/axe failed (see /tmp/carillon-test-npm-axe.log)" >&2
      return 1
    }
  fi
  if ! docker info >/dev/null 2>&1; then
    if [ "${as_root[*]}" = none ]; then
      echo "carillon test: no Docker engine answers; start one (as root: dockerd &, or systemctl start docker)" >&2
      return 1
    fi
    echo "carillon test: starting the Docker engine (dockerd, log in /tmp/carillon-dockerd.log)" >&2
    "${as_root[@]}" sh -c 'nohup dockerd >/tmp/carillon-dockerd.log 2>&1 &'
    local waited=0
    until docker info >/dev/null 2>&1; do
      waited=$((waited + 1))
      if [ "$waited" -gt 60 ]; then
        echo "carillon test: dockerd did not answer within 60 s; see /tmp/carillon-dockerd.log" >&2
        return 1
      fi
      sleep 1
    done
  fi
}
