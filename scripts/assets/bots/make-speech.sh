#!/bin/sh
# Gives the bots' clips a voice: the tone of each clip is gated on for 3 s of
# its 10 s loop, at a different phase per bot, so bots take turns "speaking"
# (the speaking highlight, src/core/speaking.ts) instead of all sounding at
# once. The video is copied untouched; only the audio is made again, with the
# same AAC settings as make-clips.sh, so every clip still swaps frame for frame
# with idle.flv (the loader checks). Uses the ffmpeg bundled with the project
# (@ffmpeg-installer/ffmpeg), so nothing else is needed.
# The AAC encoder's priming (1024 samples = 46.44 ms at 22.05 kHz) makes the
# muxer shift every stream by that much; the copied video already carries the
# shift from make-clips.sh, so it is read 1024/22050 s early to stay exactly
# where it was (idle.flv's timestamps). Run once from the
# repository root after make-clips.sh; the outputs are committed.
set -eu
OUT=scripts/assets/bots
FFMPEG=${FFMPEG:-$(node -p "require('@ffmpeg-installer/ffmpeg').path")}
A="-c:a aac -b:a 16k -ac 1 -ar 22050"
O="-t 10 -map_metadata -1 -fflags +bitexact -flvflags no_duration_filesize -f flv"
for n in 1 2 3 4 5 6 7 8 9; do
  # Bot n speaks from second 3(n-1) mod 10 for 3 s (wrapping round the loop).
  start=$(( (n - 1) * 3 % 10 ))
  "$FFMPEG" -hide_banner -loglevel error -y \
    -itsoffset -0.046439909 -i "$OUT/bot-$n.flv" \
    -f lavfi -i "sine=frequency=$((330 + n * 55)):sample_rate=22050,volume='if(lt(mod(t-$start+10,10),3),0.6,0)':eval=frame" \
    -map 0:v -map 1:a -c:v copy $A $O "$OUT/bot-$n.speech.flv"
  mv "$OUT/bot-$n.speech.flv" "$OUT/bot-$n.flv"
done
