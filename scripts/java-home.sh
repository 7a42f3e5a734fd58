# Sourced by ./bv2j and ./test.sh: exports JAVA_HOME pointing at a JDK 25 or newer.
bv2j_find_java() {
  local home v
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
    v="$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$home"; return 0; fi
  done
  return 1
}
JAVA_HOME="$(bv2j_find_java)" || { echo "bv2j: needs JDK 25 or newer (set JAVA_HOME)" >&2; exit 2; }
export JAVA_HOME
# Maven 3.8 on JDK 25 warns about sun.misc.Unsafe on every run; the flag silences it.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
