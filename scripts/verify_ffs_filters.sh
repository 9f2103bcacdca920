#!/usr/bin/env bash
# Verify FreeFileSync include/exclude filter semantics against the real binary.
# docs/filter-semantics.md cites its cases as "run C01" ... "run C23".
#
# Every case builds a fresh, empty right folder, runs a Mirror batch job
# (permanent deletion) from a fixed left tree through the real FreeFileSync
# binary under xvfb, then checks which probe paths arrived on the right side.
#
# Expectations encode what base/path_filter.cpp of FFS 12.0 implements.
# Everything is created inside a mktemp directory that is removed on exit.
# A private GlobalSettings.xml inside that directory is passed on the command
# line, so the user's own FreeFileSync settings are not modified.
#
# Usage: scripts/verify_ffs_filters.sh            (needs FreeFileSync + xvfb-run)
#        FFS_BIN=/path/to/FreeFileSync scripts/verify_ffs_filters.sh
# FreeFileSync creates its config folder (~/.config/FreeFileSync) if missing.
set -u

FFS_BIN="${FFS_BIN:-FreeFileSync}"
command -v "$FFS_BIN" >/dev/null || { echo "FreeFileSync binary not found" >&2; exit 2; }
command -v xvfb-run  >/dev/null || { echo "xvfb-run not found" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ffs-filter-verify.XXXXXX")"
trap 'rm -rf -- "$WORK"' EXIT

L="$WORK/L"
mkfile() { mkdir -p -- "$(dirname -- "$L/$1")"; printf '%s\n' "$1" > "$L/$1"; }

# ---------------------------------------------------------------- left tree
mkfile "a.txt"
mkfile "Readme.MD"
mkfile ".git/config"
mkfile ".git/objects/ab/cdef"
mkfile "proj/.git/HEAD"                       # nested repository (folder)
mkfile "proj/src/main.py"
mkfile "proj/venv/pyvenv.cfg"
mkfile "proj/venv/lib/site.py"
mkfile "proj/.venv/pyvenv.cfg"
mkfile "proj/pkg/__pycache__/m.cpython-311.pyc"
mkfile "proj/pkg/mod.py"
mkfile "wt/.git"                              # worktree/submodule: .git is a FILE
mkfile "wt/code.py"
mkfile "deep/nested/repo/.git/HEAD"
mkfile "venv/pyvenv.cfg"
mkfile "venv/bin/python.txt"
mkfile "__pycache__/top.pyc"
mkfile "My Documents/file one.txt"
mkfile "My Documents/Sub Dir/two words.md"
mkfile "Build/out.o"
mkfile "src/build/x.o"
mkfile "docs/build"                           # a FILE named build
mkfile "notes.txt/inner.bin"                  # a FOLDER named like a file
mkfile "data/file.bin"
mkfile "data/sub/file2.bin"
mkfile "data/readme.md"
mkfile "old.ffs_db"                           # FFS always excludes *.ffs_db

# GlobalSettings: text logs, otherwise defaults
cat > "$WORK/GlobalSettings.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="GLOBAL" XmlFormat="25">
    <LogFiles MaxAge="30" Format="Text"/>
</FreeFileSync>
EOF

xml_items() { # one <Item> per input line, XML-escaped
    while IFS= read -r line; do
        line="${line//&/&amp;}"; line="${line//</&lt;}"; line="${line//>/&gt;}"
        printf '            <Item>%s</Item>\n' "$line"
    done <<< "$1"
}

PASS=0; FAIL=0
# run_case NAME INCLUDE EXCLUDE EXPECTATIONS [LOCAL_INCLUDE LOCAL_EXCLUDE]
#   INCLUDE/EXCLUDE: newline-separated filter items (written as <Item>s)
#   EXPECTATIONS: space-separated; "+path" = file must arrive,
#   "-path" = must not arrive, "d:path" = folder must exist (%20 = space)
run_case() {
    local name="$1" inc="$2" exc="$3" expect="$4" linc="${5-}" lexc="${6-}"
    local R="$WORK/R_$name" job="$WORK/$name.ffs_batch" local_filter=""
    mkdir -p "$R" "$WORK/logs"
    if [ -n "$linc$lexc" ]; then
        local_filter="            <Filter>
                <Include>
$(xml_items "$linc")
                </Include>
                <Exclude>
$( [ -n "$lexc" ] && xml_items "$lexc")
                </Exclude>
                <SizeMin Unit=\"None\">0</SizeMin>
                <SizeMax Unit=\"None\">0</SizeMax>
                <TimeSpan Type=\"None\">0</TimeSpan>
            </Filter>"
    fi
    cat > "$job" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="BATCH" XmlFormat="17">
    <Compare>
        <Variant>TimeAndSize</Variant>
        <Symlinks>Exclude</Symlinks>
        <IgnoreTimeShift/>
    </Compare>
    <Synchronize>
        <Variant>Mirror</Variant>
        <DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Permanent</DeletionPolicy>
        <VersioningFolder Style="Replace"/>
    </Synchronize>
    <Filter>
        <Include>
$( [ -n "$inc" ] && xml_items "$inc")
        </Include>
        <Exclude>
$( [ -n "$exc" ] && xml_items "$exc")
        </Exclude>
        <SizeMin Unit="None">0</SizeMin>
        <SizeMax Unit="None">0</SizeMax>
        <TimeSpan Type="None">0</TimeSpan>
    </Filter>
    <FolderPairs>
        <Pair>
            <Left>$L</Left>
            <Right>$R</Right>
$local_filter
        </Pair>
    </FolderPairs>
    <Errors Ignore="true" Retry="0" Delay="5"/>
    <PostSyncCommand Condition="Completion"/>
    <LogFolder>$WORK/logs</LogFolder>
    <EmailNotification Condition="Always"/>
    <Batch>
        <ProgressDialog Minimized="true" AutoClose="true"/>
        <ErrorDialog>Cancel</ErrorDialog>
        <PostSyncAction>None</PostSyncAction>
    </Batch>
</FreeFileSync>
EOF
    xvfb-run -a timeout 120 "$FFS_BIN" "$job" "$WORK/GlobalSettings.xml" >/dev/null 2>"$WORK/$name.stderr"
    local rc=$?
    local arrived
    arrived="$(cd "$R" && find . -mindepth 1 -type f | sed 's|^\./||' | sort | tr '\n' ' ')"
    echo "== $name | include: $(tr '\n' '|' <<< "$inc" | sed 's/|$//') | exclude: $(tr '\n' '|' <<< "$exc" | sed 's/|$//')${linc:+ | local include: $linc}${lexc:+ | local exclude: $lexc} | exit=$rc"
    echo "   arrived files: ${arrived:-<none>}"
    local e p ok
    for e in $expect; do
        p="${e#?}"; [ "${e:0:2}" = "d:" ] && p="${e#d:}"
        p="${p//%20/ }"
        case "$e" in
            d:*) [ -d "$R/$p" ] && ok=1 || ok=0 ;;
            +*)  [ -f "$R/$p" ] && ok=1 || ok=0 ;;
            -*)  [ -e "$R/$p" ] && ok=0 || ok=1 ;;
        esac
        if [ $ok = 1 ]; then PASS=$((PASS+1)); echo "   PASS $e"
        else FAIL=$((FAIL+1)); echo "   FAIL $e"; fi
    done
}

# ------------------------------------------------------------------- cases
run_case C01_anchored_git_dir '*' '.git/' \
  '-.git/config +proj/.git/HEAD +deep/nested/repo/.git/HEAD +wt/.git +a.txt -old.ffs_db'
run_case C02_any_depth_git_dir '*' '*/.git/' \
  '-.git/config -proj/.git/HEAD -deep/nested/repo/.git/HEAD +wt/.git +wt/code.py'
run_case C03_git_file_or_dir '*' '*/.git' \
  '-.git/config -proj/.git/HEAD -deep/nested/repo/.git/HEAD -wt/.git +wt/code.py'
run_case C04_backslash_syntax '*' '*\.git\' \
  '-.git/config -proj/.git/HEAD -deep/nested/repo/.git/HEAD +wt/.git'
run_case C05_leading_separator '*' '\.git\' \
  '-.git/config +proj/.git/HEAD +wt/.git'
run_case C06_sep_asterisk_tail '*' '*/.git/*' \
  '-.git/config -proj/.git/HEAD +wt/.git'
run_case C07_file_only_git '*' '*/.git:' \
  '-wt/.git +wt/code.py -.git/config -proj/.git/HEAD d:.git d:proj/.git'
run_case C08_pipe_separator '*' '*/venv/|*/__pycache__/' \
  '-venv/pyvenv.cfg -proj/venv/pyvenv.cfg -__pycache__/top.pyc -proj/pkg/__pycache__/m.cpython-311.pyc +proj/.venv/pyvenv.cfg +proj/pkg/mod.py'
run_case C09_anchored_venv_pycache '*' $'venv/\n__pycache__\\' \
  '-venv/pyvenv.cfg -__pycache__/top.pyc +proj/venv/pyvenv.cfg +proj/pkg/__pycache__/m.cpython-311.pyc'
run_case C10_case_insensitive_ext '*' '*.TXT' \
  '-a.txt -My%20Documents/file%20one.txt -venv/bin/python.txt -notes.txt/inner.bin +Readme.MD'
run_case C11_anchored_file_name '*' 'readme.md' \
  '-Readme.MD +data/readme.md'
run_case C12_folder_only_any_depth '*' '*/build/' \
  '-Build/out.o -src/build/x.o +docs/build'
run_case C13_anchored_lowercase_dir '*' 'build/' \
  '-Build/out.o +src/build/x.o +docs/build'
run_case C14_file_only_build '*' '*/build:' \
  '-docs/build -Build/out.o -src/build/x.o d:Build d:src/build'
run_case C15_question_no_separator '*' 'data?file.bin' \
  '+data/file.bin'
run_case C16_star_crosses_separator '*' 'data*file2.bin' \
  '-data/sub/file2.bin +data/file.bin'
run_case C17_spaces_trimmed '*' '   My Documents/Sub Dir/   ' \
  '-My%20Documents/Sub%20Dir/two%20words.md +My%20Documents/file%20one.txt'
run_case C18_plain_name_covers_children '*' 'data' \
  '-data/file.bin -data/sub/file2.bin -data/readme.md +a.txt'
run_case C19_include_py_only '*.py' '' \
  '+proj/src/main.py +proj/pkg/mod.py +wt/code.py +proj/venv/lib/site.py -a.txt -data/readme.md -Build -data'
run_case C20_include_folder '\proj\' '' \
  '+proj/src/main.py +proj/.git/HEAD -a.txt -wt/code.py'
run_case C21_exclude_everything '*' '*' \
  '-a.txt -proj -data'
run_case C22_global_and_local '*' '*.bin' \
  '+data/readme.md -data/file.bin -a.txt -notes.txt/inner.bin' 'data\' ''

run_case C23_empty_include_means_nothing '' '' \
  '-a.txt -proj -data'
echo
echo "SUMMARY: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
