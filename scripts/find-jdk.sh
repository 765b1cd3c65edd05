# Sourced by ./carillon and .ci/run: exports JAVA_HOME pointing at a JDK 25 or newer.
# Order: JAVA_HOME if it is 25+, then any JDK 25+ installed beside the default `java`.

carillon_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing.
  local release="$1/release"
  [ -f "$release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

carillon_find_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(carillon_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      return 0
    fi
  fi
  local dirs=()
  if command -v java >/dev/null 2>&1; then
    dirs+=("$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")")
  fi
  dirs+=(/usr/lib/jvm /opt/java /usr/local/lib/jvm)
  for dir in "${dirs[@]}"; do
    [ -d "$dir" ] || continue
    for candidate in "$dir"/*; do
      [ -x "$candidate/bin/javac" ] || continue
      major=$(carillon_java_major "$candidate")
      if [ -n "$major" ] && [ "$major" -ge 25 ]; then
        JAVA_HOME="$candidate"
        return 0
      fi
    done
  done
  echo "Carillon needs a JDK 25 or newer and found none." >&2
  echo "Install one (for example Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}

carillon_find_jdk || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
