# Sourced by the scripts of this repo: points JAVA_HOME at a JDK 21 or newer.
# Uses $JAVA_HOME when it is one, else the newest JDK under /usr/lib/jvm; fails clearly when
# there is none.

pgcapture_java_major() { # java executable -> its feature version (17, 21, 25, ...)
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

pgcapture_find_java() {
  local need=21 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(pgcapture_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge "$need" ] 2>/dev/null; then
      export JAVA_HOME
      return 0
    fi
    echo "JAVA_HOME=$JAVA_HOME is Java ${major:-?}; looking for a JDK $need+ under /usr/lib/jvm" >&2
  fi
  for candidate in /usr/lib/jvm/*/; do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(pgcapture_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge "$need" ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best=$candidate best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "pgcapture needs a JDK $need or newer: none in JAVA_HOME (${JAVA_HOME:-unset}) or under /usr/lib/jvm." >&2
    echo "Install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best
}
