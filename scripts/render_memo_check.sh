#!/usr/bin/env bash
# Render a memo .docx through LibreOffice to PDF, then its first pages to PNG, for a person to
# look at. The tests check the document's content; this checks how it looks.
#
#   scripts/render_memo_check.sh MEMO.docx [OUT_DIR]      (default OUT_DIR: MEMO's folder/render)
#
# Needs, on Debian/Ubuntu:
#   apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai
#
# The memo names the faces official documents use (方正小标宋简体, 黑体, 楷体, 仿宋). Linux
# rarely has them, so a fontconfig file made here maps each to the nearest free face: the
# serif and sans Noto CJK for 宋/仿宋 and 黑体, AR PL UKai for 楷体. Installed real fonts win:
# the mapping only applies to names fontconfig cannot find. `pdffonts` shows what was used.
set -euo pipefail

docx=${1:?usage: render_memo_check.sh MEMO.docx [OUT_DIR]}
out=${2:-$(dirname "$docx")/render}
for tool in soffice pdftoppm pdffonts fc-match; do
    command -v "$tool" >/dev/null || {
        echo "render_memo_check: $tool not found; install libreoffice-writer-nogui poppler-utils" >&2
        exit 2
    }
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

alias_rule() {  # alias_rule FAMILY TARGET [WEIGHT]
    local weight=""
    [[ -n "${3:-}" ]] && weight="<edit name=\"weight\" mode=\"assign\"><const>$3</const></edit>"
    printf '<match target="pattern"><test name="family"><string>%s</string></test>' "$1"
    printf '<edit name="family" mode="prepend" binding="strong"><string>%s</string></edit>%s</match>\n' "$2" "$weight"
}
{
    echo '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
    echo '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
    for f in 方正小标宋简体 方正小标宋_GBK 小标宋; do alias_rule "$f" "Noto Serif CJK SC" bold; done
    for f in 仿宋 FangSong 仿宋_GB2312 FangSong_GB2312; do alias_rule "$f" "Noto Serif CJK SC"; done
    for f in 宋体 SimSun; do alias_rule "$f" "Noto Serif CJK SC"; done
    for f in 黑体 SimHei; do alias_rule "$f" "Noto Sans CJK SC"; done
    for f in 楷体 KaiTi 楷体_GB2312 KaiTi_GB2312; do alias_rule "$f" "AR PL UKai CN"; done
    echo '</fontconfig>'
} >"$work/fonts.conf"
export FONTCONFIG_FILE="$work/fonts.conf"
for f in 方正小标宋简体 黑体 楷体 仿宋; do
    echo "font: $f -> $(fc-match "$f" family)"
done

stem=$(basename "${docx%.*}")
soffice -env:UserInstallation="file://$work/profile" --headless --convert-to pdf \
    --outdir "$out" "$docx" >/dev/null
pdf="$out/$stem.pdf"
pdftoppm -png -r "${DPI:-100}" -f 1 -l "${PAGES:-2}" "$pdf" "$out/$stem-page"
echo "pages: $(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/{print $2}')"
pdffonts "$pdf" | tail -n +3 | awk '{print "embedded: " $1}' | sort -u
ls "$out"/"$stem"-page*.png
