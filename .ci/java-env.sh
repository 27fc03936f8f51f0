# Sourced by ./chorus and .ci/run: selects a Java 25 JDK.
if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME}/bin/java" ]] || ! "${JAVA_HOME}/bin/java" -version 2>&1 | grep -q 'version "25'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/jdk-25*; do
    if [[ -x "$candidate/bin/java" ]]; then JAVA_HOME="$candidate"; break; fi
  done
fi
if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME}/bin/java" ]]; then
  echo "chorus: a Java 25 JDK is required (set JAVA_HOME)" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven: the one on PATH when there is one, else the project's wrapper (downloads Maven 3.9 from Maven Central once).
if command -v mvn >/dev/null 2>&1; then
  CHORUS_MVN=mvn
else
  CHORUS_MVN="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/mvnw"
fi
export CHORUS_MVN
