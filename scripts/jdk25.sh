# Sourced by .ci/run and ./ranker4j: makes JAVA_HOME point at a JDK 25 or newer.
# Keeps the caller's JAVA_HOME when it already is one; otherwise looks in the usual install places.
java_feature_version() { # prints the feature version (e.g. 25) of the java binary in $1/bin
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}
ranker4j_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    local v; v=$(java_feature_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then return 0; fi
  fi
  local candidate
  for candidate in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*25* /opt/java/* "$HOME"/.sdkman/candidates/java/25*; do
    [ -x "$candidate/bin/java" ] || continue
    local v; v=$(java_feature_version "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"; export PATH="$JAVA_HOME/bin:$PATH"; return 0
    fi
  done
  echo "ranker4j: no JDK 25 found; set JAVA_HOME to a JDK 25 (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  return 1
}
