#!/usr/bin/env bash
# Verify config-format handling, exit codes and sync-variant behaviour of the
# installed FreeFileSync binary (written against FFS 12.0, XmlFormat 17).
# docs/formats.md and docs/batch-unattended.md cite its checks as "run F01", "run T04", ...
# Usage: scripts/verify_ffs_formats.sh   (FFS_BIN=/path/to/FreeFileSync to pick another binary)
#
# All data lives in a mktemp directory that is removed on exit; a private
# GlobalSettings.xml inside it is passed on the command line.
# Prints one line per check: "PASS|FAIL <name>: <observation>".
# Optional parts: R01 runs only if RealTimeSync is installed; V05 (recycle bin)
# runs only with FFS_VERIFY_RECYCLE=1 and removes the trash entries it created.
# FreeFileSync creates its config folder (~/.config/FreeFileSync) if missing.
set -u

FFS_BIN="${FFS_BIN:-FreeFileSync}"
command -v "$FFS_BIN" >/dev/null || { echo "FreeFileSync binary not found" >&2; exit 2; }
command -v xvfb-run  >/dev/null || { echo "xvfb-run not found" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ffs-format-verify.XXXXXX")"
trap 'rm -rf -- "$WORK"' EXIT
GS="$WORK/GlobalSettings.xml"
printf '%s\n' '<?xml version="1.0" encoding="utf-8"?>' \
  '<FreeFileSync XmlType="GLOBAL" XmlFormat="25"><LogFiles MaxAge="30" Format="Text"/></FreeFileSync>' > "$GS"
mkdir -p "$WORK/logs"

PASS=0; FAIL=0
check() { # check NAME CONDITION_RESULT(0/1) OBSERVATION
    if [ "$2" = 0 ]; then PASS=$((PASS+1)); echo "PASS $1: $3"; else FAIL=$((FAIL+1)); echo "FAIL $1: $3"; fi
}

SYNC_MIRROR='<Variant>Mirror</Variant>
        <DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Permanent</DeletionPolicy>
        <VersioningFolder Style="Replace"/>'

# write_job FILE FORMAT LEFT RIGHT SYNC_INNER [IGNORE_ERRORS] [EXTRA_ROOT_XML] [XMLTYPE] [AUTOCLOSE]
write_job() {
    local f="$1" fmt="$2" left="$3" right="$4" sync="$5" ign="${6:-false}" extra="${7:-}" type="${8:-BATCH}" ac="${9:-true}"
    cat > "$f" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="$type" XmlFormat="$fmt">
$extra
    <Compare>
        <Variant>TimeAndSize</Variant>
        <Symlinks>Exclude</Symlinks>
        <IgnoreTimeShift/>
    </Compare>
    <Synchronize>
        $sync
    </Synchronize>
    <Filter>
        <Include>
            <Item>*</Item>
        </Include>
        <Exclude/>
        <SizeMin Unit="None">0</SizeMin>
        <SizeMax Unit="None">0</SizeMax>
        <TimeSpan Type="None">0</TimeSpan>
    </Filter>
    <FolderPairs>
        <Pair>
            <Left>$left</Left>
            <Right>$right</Right>
        </Pair>
    </FolderPairs>
    <Errors Ignore="$ign" Retry="0" Delay="5"/>
    <PostSyncCommand Condition="Completion"/>
    <LogFolder>$WORK/logs</LogFolder>
    <EmailNotification Condition="Always"/>
    <Batch>
        <ProgressDialog Minimized="true" AutoClose="$ac"/>
        <ErrorDialog>Cancel</ErrorDialog>
        <PostSyncAction>None</PostSyncAction>
    </Batch>
</FreeFileSync>
EOF
}

run_ffs() { # run_ffs ARGS... ; sets RC and ERR (stderr text)
    xvfb-run -a timeout 60 "$FFS_BIN" "$@" "$GS" >/dev/null 2>"$WORK/stderr.txt"
    RC=$?
    ERR="$(tr '\n' ' ' < "$WORK/stderr.txt" | sed "s|$WORK|<tmp>|g" | cut -c1-300)"
}

fresh() { rm -rf "$WORK/$1"; mkdir -p "$WORK/$1/L" "$WORK/$1/R"; echo one > "$WORK/$1/L/a.txt"; }

# ---------------------------------------------------------------- formats
fresh f1; write_job "$WORK/f1.ffs_batch" 17 "$WORK/f1/L" "$WORK/f1/R" "$SYNC_MIRROR"
run_ffs "$WORK/f1.ffs_batch"
[ $RC = 0 ] && [ -f "$WORK/f1/R/a.txt" ]; check F01_format17_baseline $? "exit=$RC, copied=$([ -f "$WORK/f1/R/a.txt" ] && echo yes || echo no)"

fresh f2; write_job "$WORK/f2.ffs_batch" 99 "$WORK/f2/L" "$WORK/f2/R" "$SYNC_MIRROR"
sum_before=$(md5sum < "$WORK/f2.ffs_batch"); run_ffs "$WORK/f2.ffs_batch"; sum_after=$(md5sum < "$WORK/f2.ffs_batch")
[ $RC = 0 ] && [ -f "$WORK/f2/R/a.txt" ] && [ "$sum_before" = "$sum_after" ]
check F02_higher_format_number_same_layout $? "XmlFormat=99 with v17 layout: exit=$RC, synced=$([ -f "$WORK/f2/R/a.txt" ] && echo yes || echo no), file unchanged=$([ "$sum_before" = "$sum_after" ] && echo yes || echo no)"

fresh f3; write_job "$WORK/f3.ffs_batch" 16 "$WORK/f3/L" "$WORK/f3/R" "$SYNC_MIRROR"
run_ffs "$WORK/f3.ffs_batch"
newfmt=$(grep -o 'XmlFormat="[0-9]*"' "$WORK/f3.ffs_batch")
[ $RC = 0 ] && [ "$newfmt" = 'XmlFormat="17"' ]; check F03_older_format_is_rewritten $? "XmlFormat=16: exit=$RC, file on disk afterwards has $newfmt"

# FFS 13.0+ (XmlFormat 23) layout: <Differences>/<Changes> instead of <Variant>/<DetectMovedFiles>, plus <Notes>, <GridViewType>
fresh f4; SYNC_V23='<Differences LeftOnly="right" LeftNewer="right" RightNewer="right" RightOnly="right"/>
        <DeletionPolicy>Permanent</DeletionPolicy>
        <VersioningFolder Style="Replace"/>'
write_job "$WORK/f4.ffs_batch" 23 "$WORK/f4/L" "$WORK/f4/R" "$SYNC_V23" false '    <Notes/>
    <GridViewType>Action</GridViewType>'
sum_before=$(md5sum < "$WORK/f4.ffs_batch"); run_ffs "$WORK/f4.ffs_batch"; sum_after=$(md5sum < "$WORK/f4.ffs_batch")
[ $RC = 4 ] && [ ! -e "$WORK/f4/R/a.txt" ]; check F04_v23_file_rejected_by_12_0 $? "exit=$RC, synced=$([ -f "$WORK/f4/R/a.txt" ] && echo yes || echo no), file unchanged=$([ "$sum_before" = "$sum_after" ] && echo yes || echo no), stderr: $ERR"

fresh f5; write_job "$WORK/f5.ffs_batch" 17 "$WORK/f5/L" "$WORK/f5/R" "$SYNC_MIRROR"
sed -i '/<Errors /d' "$WORK/f5.ffs_batch"; run_ffs "$WORK/f5.ffs_batch"
[ $RC = 4 ] && [ ! -e "$WORK/f5/R/a.txt" ]; check F05_missing_Errors_element $? "exit=$RC, stderr: $ERR"

fresh f6; write_job "$WORK/f6.ffs_batch" 17 "$WORK/f6/L" "$WORK/f6/R" "${SYNC_MIRROR/Mirror/mirror}"
run_ffs "$WORK/f6.ffs_batch"
[ $RC = 4 ]; check F06_enum_is_case_sensitive $? "<Variant>mirror</Variant>: exit=$RC, stderr: $ERR"

fresh f7; write_job "$WORK/f7.ffs_batch" 17 "$WORK/f7/L" "$WORK/f7/R" "$SYNC_MIRROR" false "" GUI
run_ffs "$WORK/f7.ffs_batch"
[ $RC = 4 ]; check F07_wrong_XmlType $? "XmlType=GUI in .ffs_batch: exit=$RC, stderr: $ERR"

fresh f8; write_job "$WORK/f8.ffs_batch" 17 "$WORK/f8/L" "$WORK/f8/R" "$SYNC_MIRROR" false '    <Notes>hello</Notes>
    <SomethingUnknown a="b"/>'
run_ffs "$WORK/f8.ffs_batch"
[ $RC = 0 ] && [ -f "$WORK/f8/R/a.txt" ]; check F08_unknown_elements_ignored $? "exit=$RC"

run_ffs "$WORK/does-not-exist.ffs_batch"
[ $RC = 4 ]; check F09_missing_config_file $? "exit=$RC, stderr: $ERR"

fresh f10; write_job "$WORK/f10.ffs_batch" 17 "$WORK/f10/L" "$WORK/f10/R" "$SYNC_MIRROR" false "" BATCH false
xvfb-run -a timeout 20 "$FFS_BIN" "$WORK/f10.ffs_batch" "$GS" >/dev/null 2>&1; RC=$?
[ $RC = 124 ]; check F10_autoclose_false_blocks $? "AutoClose=false: process still waiting after 20s (timeout exit=$RC), synced=$([ -f "$WORK/f10/R/a.txt" ] && echo yes || echo no)"

# ---------------------------------------------------------------- two-way + database
SYNC_TWOWAY='<Variant>TwoWay</Variant>
        <DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Permanent</DeletionPolicy>
        <VersioningFolder Style="Replace"/>'
fresh t; echo keep > "$WORK/t/L/b.txt"; echo right > "$WORK/t/R/r.txt"
write_job "$WORK/t.ffs_batch" 17 "$WORK/t/L" "$WORK/t/R" "$SYNC_TWOWAY"
run_ffs "$WORK/t.ffs_batch"
[ $RC = 1 ] && [ -f "$WORK/t/R/a.txt" ] && [ -f "$WORK/t/L/r.txt" ] && [ -f "$WORK/t/L/.sync.ffs_db" ] && [ -f "$WORK/t/R/.sync.ffs_db" ]
check T01_twoway_first_run $? "exit=$RC (warning: no database yet), both directions copied, .sync.ffs_db on both sides: $(ls -A "$WORK/t/L" | tr '\n' ' ')"
run_ffs "$WORK/t.ffs_batch"
[ $RC = 0 ]; check T02_twoway_no_change $? "exit=$RC"
rm "$WORK/t/L/b.txt"; run_ffs "$WORK/t.ffs_batch"
[ $RC = 0 ] && [ ! -e "$WORK/t/R/b.txt" ]; check T03_twoway_propagates_deletion $? "deleted b.txt on left -> right copy deleted: $([ -e "$WORK/t/R/b.txt" ] && echo no || echo yes), exit=$RC"
echo leftchange > "$WORK/t/L/a.txt"; touch -d '-2 hours' "$WORK/t/L/a.txt"
echo rightchange-longer > "$WORK/t/R/a.txt"; touch -d '-1 hours' "$WORK/t/R/a.txt"
run_ffs "$WORK/t.ffs_batch"
[ $RC = 3 ] && [ "$(cat "$WORK/t/L/a.txt")" = leftchange ]; check T04_conflict_aborts_with_cancel $? "both sides changed, ErrorDialog=Cancel, Ignore=false: exit=$RC, left still '$(cat "$WORK/t/L/a.txt")', right '$(cat "$WORK/t/R/a.txt")'"
write_job "$WORK/t.ffs_batch" 17 "$WORK/t/L" "$WORK/t/R" "$SYNC_TWOWAY" true
run_ffs "$WORK/t.ffs_batch"
[ $RC = 1 ] && [ "$(cat "$WORK/t/L/a.txt")" = leftchange ] && [ "$(cat "$WORK/t/R/a.txt")" = rightchange-longer ]
check T05_conflict_skipped_not_newer_wins $? "Ignore=true: exit=$RC, left '$(cat "$WORK/t/L/a.txt")', right '$(cat "$WORK/t/R/a.txt")' (the newer right file did NOT win)"

# ---------------------------------------------------------------- one-way variants
variant_setup() {
    fresh "$1"; local d="$WORK/$1"
    echo lonly > "$d/L/leftonly.txt"; echo ronly > "$d/R/rightonly.txt"
    echo L-old > "$d/L/rnewer.txt"; touch -d '2020-01-01' "$d/L/rnewer.txt"
    echo R-newer-content > "$d/R/rnewer.txt"; touch -d '2021-01-01' "$d/R/rnewer.txt"
    echo L-newer-content > "$d/L/lnewer.txt"; touch -d '2021-01-01' "$d/L/lnewer.txt"
    echo R-old > "$d/R/lnewer.txt"; touch -d '2020-01-01' "$d/R/lnewer.txt"
}
variant_setup m; write_job "$WORK/m.ffs_batch" 17 "$WORK/m/L" "$WORK/m/R" "$SYNC_MIRROR"; run_ffs "$WORK/m.ffs_batch"
[ $RC = 0 ] && [ -f "$WORK/m/R/leftonly.txt" ] && [ ! -e "$WORK/m/R/rightonly.txt" ] && [ "$(cat "$WORK/m/R/rnewer.txt")" = L-old ] && [ "$(cat "$WORK/m/R/lnewer.txt")" = L-newer-content ]
check V01_mirror $? "exit=$RC; right-only deleted, newer right file overwritten by older left: R/rnewer.txt='$(cat "$WORK/m/R/rnewer.txt")'"

SYNC_UPDATE="${SYNC_MIRROR/Mirror/Update}"
variant_setup u; write_job "$WORK/u.ffs_batch" 17 "$WORK/u/L" "$WORK/u/R" "$SYNC_UPDATE"; run_ffs "$WORK/u.ffs_batch"
[ $RC = 0 ] && [ -f "$WORK/u/R/leftonly.txt" ] && [ -f "$WORK/u/R/rightonly.txt" ] && [ "$(cat "$WORK/u/R/rnewer.txt")" = R-newer-content ] && [ "$(cat "$WORK/u/R/lnewer.txt")" = L-newer-content ] && [ ! -e "$WORK/u/L/rightonly.txt" ]
check V02_update $? "exit=$RC; right-only kept (not copied left), newer right kept, newer left copied"

SYNC_CUSTOM='<Variant>Custom</Variant>
        <CustomDirections>
            <LeftOnly>right</LeftOnly>
            <RightOnly>left</RightOnly>
            <LeftNewer>right</LeftNewer>
            <RightNewer>left</RightNewer>
            <Different>none</Different>
            <Conflict>none</Conflict>
        </CustomDirections>
        <DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Permanent</DeletionPolicy>
        <VersioningFolder Style="Replace"/>'
variant_setup c; write_job "$WORK/c.ffs_batch" 17 "$WORK/c/L" "$WORK/c/R" "$SYNC_CUSTOM"; run_ffs "$WORK/c.ffs_batch"
[ $RC = 0 ] && [ -f "$WORK/c/R/leftonly.txt" ] && [ -f "$WORK/c/L/rightonly.txt" ] && [ "$(cat "$WORK/c/L/rnewer.txt")" = R-newer-content ] && [ "$(cat "$WORK/c/R/lnewer.txt")" = L-newer-content ] && [ ! -e "$WORK/c/L/.sync.ffs_db" ] && [ ! -e "$WORK/c/R/.sync.ffs_db" ]
check V03_custom_newer_wins_no_db $? "exit=$RC; copies both ways, newer file wins per item, no .sync.ffs_db written"

SYNC_VERS="<Variant>Mirror</Variant>
        <DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Versioning</DeletionPolicy>
        <VersioningFolder Style=\"TimeStamp-File\">$WORK/vers/V</VersioningFolder>"
variant_setup vers; write_job "$WORK/vers.ffs_batch" 17 "$WORK/vers/L" "$WORK/vers/R" "$SYNC_VERS"; run_ffs "$WORK/vers.ffs_batch"
vlist="$(cd "$WORK/vers/V" 2>/dev/null && ls | tr '\n' '|')"
[ $RC = 0 ] && ls "$WORK/vers/V" | grep -Eq '^rightonly\.txt [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{6}\.txt$' && ls "$WORK/vers/V" | grep -q '^rnewer\.txt '
check V04_versioning_timestamp_file $? "exit=$RC; versioning folder holds deleted AND overwritten files: $vlist"

if [ "${FFS_VERIFY_RECYCLE:-0}" = 1 ]; then  # opt-in: moves 3 files into the user's trash, then removes exactly those entries
    SYNC_RECYCLE="${SYNC_MIRROR/Permanent/RecycleBin}"
    variant_setup rb; write_job "$WORK/rb.ffs_batch" 17 "$WORK/rb/L" "$WORK/rb/R" "$SYNC_RECYCLE"; run_ffs "$WORK/rb.ffs_batch"
    [ $RC = 0 ] && [ ! -e "$WORK/rb/R/rightonly.txt" ]
    check V05_recyclebin $? "RecycleBin: exit=$RC, right-only removed from R=$([ -e "$WORK/rb/R/rightonly.txt" ] && echo no || echo yes)"
    trash="${XDG_DATA_HOME:-$HOME/.local/share}/Trash"
    for info in "$trash"/info/*.trashinfo; do
        [ -f "$info" ] && grep -q "^Path=$WORK/" "$info" && { n="$(basename "$info" .trashinfo)"; rm -f -- "$trash/files/$n" "$info"; }
    done
fi

# ---------------------------------------------------------------- paths and command line
fresh p1; write_job "$WORK/p1.ffs_batch" 17 "L" "R" "$SYNC_MIRROR"
( cd "$WORK/p1" && xvfb-run -a timeout 60 "$FFS_BIN" "$WORK/p1.ffs_batch" "$GS" >/dev/null 2>&1 ); RC=$?
[ $RC = 0 ] && [ -f "$WORK/p1/R/a.txt" ]; check P01_relative_paths_use_cwd $? "<Left>L</Left> run with cwd=pair dir: exit=$RC, copied=$([ -f "$WORK/p1/R/a.txt" ] && echo yes || echo no)"

fresh p2; mkdir -p "$WORK/p2/R/$(date +%Y)"; write_job "$WORK/p2.ffs_batch" 17 '%FFS_VERIFY_ROOT%/L' '%FFS_VERIFY_ROOT%/R/%Year%' "$SYNC_MIRROR"
export FFS_VERIFY_ROOT="$WORK/p2"; run_ffs "$WORK/p2.ffs_batch"; unset FFS_VERIFY_ROOT
[ $RC = 0 ] && [ -f "$WORK/p2/R/$(date +%Y)/a.txt" ]; check P02_env_and_time_macros $? "%FFS_VERIFY_ROOT% and %Year% expanded: exit=$RC, found R/$(date +%Y)/a.txt=$([ -f "$WORK/p2/R/$(date +%Y)/a.txt" ] && echo yes || echo no)"

fresh p3; mkdir -p "$WORK/p3/L2" "$WORK/p3/R2"; echo two > "$WORK/p3/L2/z.txt"
write_job "$WORK/p3.ffs_batch" 17 "$WORK/p3/L" "$WORK/p3/R" "$SYNC_MIRROR"
run_ffs "$WORK/p3.ffs_batch" -DirPair "$WORK/p3/L2" "$WORK/p3/R2"
[ $RC = 0 ] && [ -f "$WORK/p3/R2/z.txt" ] && [ ! -e "$WORK/p3/R/a.txt" ]; check P03_dirpair_overrides_pairs $? "-DirPair L2 R2: exit=$RC, R2/z.txt=$([ -f "$WORK/p3/R2/z.txt" ] && echo yes || echo no), original R/a.txt=$([ -f "$WORK/p3/R/a.txt" ] && echo yes || echo no)"

fresh p4; write_job "$WORK/p4.ffs_batch" 17 "$WORK/p4/L" "$WORK/p4/Rmissing" "$SYNC_MIRROR"
run_ffs "$WORK/p4.ffs_batch"
check P04_missing_target_with_cancel 0 "target folder missing, Ignore=false, ErrorDialog=Cancel: exit=$RC, created=$([ -d "$WORK/p4/Rmissing" ] && echo yes || echo no)"
write_job "$WORK/p4.ffs_batch" 17 "$WORK/p4/L" "$WORK/p4/Rmissing" "$SYNC_MIRROR" true
run_ffs "$WORK/p4.ffs_batch"
check P05_missing_target_with_ignore 0 "same with Ignore=true: exit=$RC, created=$([ -f "$WORK/p4/Rmissing/a.txt" ] && echo yes || echo no)"

# ---------------------------------------------------------------- soft filter, exclusions, move detection, empty pair
fresh s1; rm "$WORK/s1/L/a.txt"; mkdir -p "$WORK/s1/L/sub" "$WORK/s1/L/emptydir"
head -c 999 /dev/zero > "$WORK/s1/L/f999.bin"; head -c 1000 /dev/zero > "$WORK/s1/L/f1000.bin"
head -c 1001 /dev/zero > "$WORK/s1/L/f1001.bin"; head -c 10 /dev/zero > "$WORK/s1/L/sub/f10.bin"
write_job "$WORK/s1.ffs_batch" 17 "$WORK/s1/L" "$WORK/s1/R" "$SYNC_MIRROR"
sed -i 's|<SizeMax Unit="None">0</SizeMax>|<SizeMax Unit="KB">1</SizeMax>|' "$WORK/s1.ffs_batch"
run_ffs "$WORK/s1.ffs_batch"
[ $RC = 0 ] && [ -f "$WORK/s1/R/f999.bin" ] && [ -f "$WORK/s1/R/f1000.bin" ] && [ ! -e "$WORK/s1/R/f1001.bin" ] && [ -f "$WORK/s1/R/sub/f10.bin" ] && [ ! -e "$WORK/s1/R/emptydir" ]
check S01_sizemax_1KB_is_1000_bytes $? "exit=$RC; arrived: $(cd "$WORK/s1/R" && find . -mindepth 1 | sort | tr '\n' ' ')"

fresh s2; mkdir -p "$WORK/s2/R/venv" "$WORK/s2/R/other"; echo keep > "$WORK/s2/R/venv/x"; echo gone > "$WORK/s2/R/other/y"
write_job "$WORK/s2.ffs_batch" 17 "$WORK/s2/L" "$WORK/s2/R" "$SYNC_MIRROR"
sed -i 's|<Exclude/>|<Exclude><Item>*/venv/</Item></Exclude>|' "$WORK/s2.ffs_batch"
run_ffs "$WORK/s2.ffs_batch"
[ $RC = 0 ] && [ -f "$WORK/s2/R/venv/x" ] && [ ! -e "$WORK/s2/R/other" ]
check S02_mirror_keeps_excluded_target_items $? "exit=$RC; right-side venv/x kept=$([ -f "$WORK/s2/R/venv/x" ] && echo yes || echo no), right-only other/ deleted=$([ -e "$WORK/s2/R/other" ] && echo no || echo yes)"

fresh m1; write_job "$WORK/m1.ffs_batch" 17 "$WORK/m1/L" "$WORK/m1/R" "${SYNC_MIRROR/<DetectMovedFiles>false/<DetectMovedFiles>true}"
run_ffs "$WORK/m1.ffs_batch"; rc1=$RC
db="$([ -f "$WORK/m1/L/.sync.ffs_db" ] && [ -f "$WORK/m1/R/.sync.ffs_db" ] && echo yes || echo no)"
ino1=$(stat -c %i "$WORK/m1/R/a.txt"); mv "$WORK/m1/L/a.txt" "$WORK/m1/L/b.txt"; run_ffs "$WORK/m1.ffs_batch"
ino2=$(stat -c %i "$WORK/m1/R/b.txt" 2>/dev/null)
[ $rc1 = 0 ] && [ $RC = 0 ] && [ "$db" = yes ] && [ "$ino1" = "$ino2" ]
check M01_mirror_detect_moved_files $? "first exit=$rc1, .sync.ffs_db written=$db; after renaming on left: exit=$RC, right file renamed in place (same inode)=$([ "$ino1" = "$ino2" ] && echo yes || echo no)"

fresh m2; write_job "$WORK/m2.ffs_batch" 17 "$WORK/m2/L" "$WORK/m2/R" "${SYNC_UPDATE/<DetectMovedFiles>false/<DetectMovedFiles>true}"
run_ffs "$WORK/m2.ffs_batch"
[ $RC = 0 ] && [ ! -e "$WORK/m2/L/.sync.ffs_db" ]; check M02_update_ignores_detect_moved_files $? "exit=$RC, .sync.ffs_db written=$([ -e "$WORK/m2/L/.sync.ffs_db" ] && echo yes || echo no)"

fresh z1; write_job "$WORK/z1.ffs_batch" 17 "$WORK/z1/L" "$WORK/z1/R" "$SYNC_MIRROR"
sed -i '/<Pair>/,/<\/Pair>/d' "$WORK/z1.ffs_batch"; run_ffs "$WORK/z1.ffs_batch"
[ $RC = 3 ]; check Z01_no_pair_elements $? "empty <FolderPairs/>: exit=$RC (one empty pair -> 'A folder input field is empty' warning -> cancelled)"

fresh e1; echo notadir > "$WORK/e1/Rfile"
write_job "$WORK/e1.ffs_batch" 17 "$WORK/e1/L" "$WORK/e1/Rfile" "$SYNC_MIRROR" true
run_ffs "$WORK/e1.ffs_batch"
[ $RC = 2 ]; check E01_errors_ignored_exit_2 $? "right 'folder' is a regular file, Ignore=true: exit=$RC (errors logged, job completes)"

# ---------------------------------------------------------------- RealTimeSync (optional)
if command -v RealTimeSync >/dev/null; then
    mkdir -p "$WORK/rts/W"
    {
        echo '<?xml version="1.0" encoding="utf-8"?>'
        echo '<FreeFileSync XmlType="REAL" XmlFormat="2">'
        echo "    <Directories><Item>$WORK/rts/W</Item></Directories>"
        echo '    <Delay>1</Delay>'
        echo "    <Commandline>echo \"%change_action%|%change_path%\" &gt;&gt; \"$WORK/rts/log.txt\"</Commandline>"
        echo '</FreeFileSync>'
    } > "$WORK/rts/job.ffs_real"
    ( xvfb-run -a timeout 9 RealTimeSync "$WORK/rts/job.ffs_real" >/dev/null 2>&1 ) &
    sleep 4; touch "$WORK/rts/W/new.txt"; sleep 3; echo x >> "$WORK/rts/W/new.txt"; wait
    obs="$(sed "s|$WORK|<tmp>|g" "$WORK/rts/log.txt" 2>/dev/null | tr '\n' ';')"
    grep -q "^Create|$WORK/rts/W/new.txt" "$WORK/rts/log.txt" 2>/dev/null
    check R01_realtimesync_runs_command $? "log lines: $obs"
fi

echo
echo "SUMMARY: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
