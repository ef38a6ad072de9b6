#!/bin/sh
# Makes the synthetic participants' clips (see README.md here). Run once from the
# repository root; the outputs are committed, and nothing runs ffmpeg at runtime.
set -eu
OUT=scripts/assets/bots
FONT=/usr/share/fonts/truetype/dejavu
V="-c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -preset veryslow -crf 27 -maxrate 200k -bufsize 400k -g 15 -keyint_min 15 -sc_threshold 0 -x264-params nal-hrd=none"
A="-c:a aac -b:a 16k -ac 1 -ar 22050"
O="-t 10 -map_metadata -1 -fflags +bitexact -flvflags no_duration_filesize -f flv"
for n in 1 2 3 4 5 6 7 8 9; do
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc=size=320x240:rate=15" \
    -f lavfi -i "sine=frequency=$((330 + n * 55)):sample_rate=22050,volume=0.08" \
    -vf "drawbox=x=0:y=82:w=iw:h=76:color=black@0.6:t=fill,drawtext=fontfile=$FONT/DejaVuSans-Bold.ttf:text='Bot $n':fontsize=36:fontcolor=white:x=(w-tw)/2:y=86,drawtext=fontfile=$FONT/DejaVuSansMono-Bold.ttf:text='%{pts\:hms}':fontsize=22:fontcolor=yellow:x=(w-tw)/2:y=128" \
    $V $A $O "$OUT/bot-$n.flv"
done
# Camera off / muted: black frames and silence with the same encoder settings,
# so the bots can switch to them without a new sequence header.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "color=c=black:size=320x240:rate=15" \
  -f lavfi -i "anullsrc=channel_layout=mono:sample_rate=22050" \
  $V $A $O "$OUT/idle.flv"
