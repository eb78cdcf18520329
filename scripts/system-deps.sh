#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when missing. Safe to run repeatedly.
set -u
need=()
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# Business-card OCR (ingest/scan.py): Tesseract with English and Turkish language data.
if ! command -v tesseract >/dev/null 2>&1; then
  need+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-tur)
elif ! tesseract --list-langs 2>/dev/null | grep -qx tur; then
  need+=(tesseract-ocr-tur)
fi
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)   # multi-page PDF card scans
[ -x /usr/bin/chromium ] || need+=(chromium)                    # browser test of the web page
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null 2>&1; then
  echo "system-deps: missing ${need[*]} and not root; tests that need them will be skipped" >&2
  exit 0
fi
SUDO=""; [ "$(id -u)" != "0" ] && SUDO="sudo"
echo "system-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null || true
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
  || echo "system-deps: could not install ${need[*]}; tests that need them will be skipped" >&2
exit 0
