#!/usr/bin/env bats
# The command language without an appliance: quoting, comments, ':' on the
# command line, scripts from stdin and -f, errors with their line, '-cmd',
# '!cmd', '<!cmd' and pipes (through guestfish's own 'echo').
bats_require_minimum_version 1.5.0
load helpers
GF="$BUILD/guestfish"

setup() { T=$(mktemp -d); }
teardown() { rm -rf "$T"; }

@test "words: blanks split, quotes group, double quotes take escapes" {
  run --separate-stderr "$GF" <<'EOF'
echo   a    b
echo "a  b" 'c  d'
echo "tab[\t] nl[\n] quote[\"] backslash[\\] hex[\x41] octal[\102] keep[\']"
echo 'no \n escapes "here"'
echo "|" '#' x#y
echo ~ "~"
EOF
  [ "$status" -eq 0 ]
  assert_equal "$output" "a b
a  b c  d
tab[	] nl[
] quote[\"] backslash[\\] hex[A] octal[B] keep[\\']
no \\n escapes \"here\"
| # x#y
$HOME ~"
  [ -z "$stderr" ]
}

@test "comments and blank lines are ignored" {
  run "$GF" <<'EOF'
# a comment

    # an indented comment
echo one # not a comment
EOF
  [ "$status" -eq 0 ]
  assert_equal "$output" "one # not a comment"
}

@test "bad quoting is an error naming the line" {
  printf 'echo ok\necho "unterminated\necho never\n' >"$T/s.gf"
  run --separate-stderr "$GF" -f "$T/s.gf"
  [ "$status" -eq 1 ]
  assert_equal "$output" "ok"
  assert_equal "$stderr" "guestfish: $T/s.gf:2: unterminated double quote"
  run --separate-stderr "$GF" <<<"echo \"a\"b"
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "guestfish: *stdin*:1: command arguments not separated by whitespace"
  run --separate-stderr "$GF" <<<'echo "\x4"'
  [ "$status" -eq 1 ]
  [[ "$stderr" == "guestfish: *stdin*:1: invalid escape sequence"* ]]
}

@test "commands on the command line are separated by a lone ':'" {
  run "$GF" echo a b : echo "c : d" : : echo e
  [ "$status" -eq 0 ]
  assert_equal "$output" "a b
c : d
e"
  run "$GF" -- echo -n
  [ "$status" -eq 0 ]
  assert_equal "$output" "-n"
}

@test "an unknown command stops a script with status 1, naming the line" {
  run --separate-stderr "$GF" <<'EOF'
echo one

no-such-command arg
echo never
EOF
  [ "$status" -eq 1 ]
  assert_equal "$output" "one"
  assert_equal "$stderr" "guestfish: *stdin*:3: no-such-command: unknown command (type 'help' for a list of commands)"
  run --separate-stderr "$GF" echo one : bogus : echo never
  [ "$status" -eq 1 ]
  assert_equal "$output" "one"
  assert_equal "$stderr" "guestfish: bogus: unknown command (type 'help' for a list of commands)"
}

@test "wrong arguments are refused with the usage line, before any launch" {
  printf 'echo one\nmkdir-p\necho never\n' >"$T/s.gf"
  run --separate-stderr "$GF" -f "$T/s.gf"
  [ "$status" -eq 1 ]
  assert_equal "$output" "one"
  assert_equal "$stderr" "guestfish: $T/s.gf:2: mkdir-p: wrong number of arguments (0 for 1)
usage: mkdir-p path
type 'help mkdir-p' for more help on mkdir-p"
  run --separate-stderr "$GF" mkfs ext4 /dev/sda1 nosuch:1
  [ "$status" -eq 1 ]
  [[ "$stderr" == "guestfish: mkfs: "*"usage: mkfs fstype device [blocksize:..]"* ]]
  run --separate-stderr "$GF" lcd
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "guestfish: lcd: wrong number of arguments (0 for 1)
usage: lcd directory
type 'help lcd' for more help on lcd"
}

@test "an API call before 'run' says what to do" {
  run --separate-stderr "$GF" ls /
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "guestfish: ls: the appliance is not running; use 'run' (or 'launch') first"
}

@test "a leading '-' lets a script go on after that command fails" {
  run --separate-stderr "$GF" <<'EOF'
-no-such-command
-lcd /nonexistent-dir
echo still here
quit
echo never
EOF
  [ "$status" -eq 0 ]
  assert_equal "$output" "still here"
  [[ "$stderr" == *"*stdin*:1: no-such-command: unknown command"* ]]
  [[ "$stderr" == *"*stdin*:2: lcd: /nonexistent-dir: No such file or directory"* ]]
}

@test "!cmd runs a host command; its failure is an error" {
  cd "$T"
  run --separate-stderr "$GF" <<'EOF'
!echo "host $((6 * 7))" > out.txt
!cat out.txt
lcd /
!pwd
!exit 3
echo never
EOF
  [ "$status" -eq 1 ]
  assert_equal "$output" "host 42
/"
  assert_equal "$stderr" "guestfish: *stdin*:5: !exit 3: exited with status 3"
}

@test "<!cmd reads the host command's output as commands" {
  run --separate-stderr "$GF" <<'EOF'
<! for n in 1 2 3; do echo "echo line $n"; done
<! echo '# comment'; echo; echo '-bogus'; echo 'echo "after bogus"'
<! echo mkdir-p
echo never
EOF
  [ "$status" -eq 1 ]
  assert_equal "$output" "line 1
line 2
line 3
after bogus"
  assert_equal "$stderr" "guestfish: *stdin*:2: bogus: unknown command (type 'help' for a list of commands)
guestfish: *stdin*:3: mkdir-p: wrong number of arguments (0 for 1)
usage: mkdir-p path
type 'help mkdir-p' for more help on mkdir-p"
}

@test "a command's output can be piped to a host command" {
  run --separate-stderr "$GF" <<'EOF'
echo hello world | tr a-z A-Z
echo "a | b" |sed 's/a/x/'
help | grep -c '^mkdir-p '
help | head -1
echo after the pipes
EOF
  [ "$status" -eq 0 ]
  assert_equal "$output" "HELLO WORLD
x | b
1
    Command              Description
after the pipes"
  [ -z "$stderr" ]
}

@test "-i needs a disk, and says so before launching anything" {
  run --separate-stderr "$GF" -i echo x
  [ "$status" -eq 1 ]
  [[ "$stderr" == "guestfish: -i needs at least one -a disk or -d domain"* ]]
}

@test "time reports the elapsed time of a command" {
  run "$GF" time echo x
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "x" ]
  [[ "${lines[1]}" =~ ^elapsed\ time:\ [0-9]+\.[0-9]{2}\ seconds$ ]]
}

@test "on a terminal: the ><fs> prompt, errors do not end the session, history in ~/.guestfish" {
  command -v script >/dev/null || skip "script(1) is not installed"
  export HOME="$T"
  run bash -c "printf 'echo hello\nbogus\necho after\nquit\necho never\n' | timeout 20 script -qec '$GF' /dev/null"
  [ "$status" -eq 0 ]
  [[ "$output" == *"><fs> echo hello"*"hello"*"bogus: unknown command"*"><fs> echo after"*"after"* ]]
  # The terminal echoes every typed line; 'quit' stopped the last one from running.
  if grep -qx $'never\r\\?' <<<"$output"; then false; fi
  grep -qx 'echo\\040after' "$T/.guestfish"
  grep -qx 'bogus' "$T/.guestfish"
}

@test "a here-document must end, and only works in scripts" {
  run --separate-stderr "$GF" <<<$'echo before\nupload -<<END /x\nabc'
  [ "$status" -eq 1 ]
  assert_equal "$output" "before"
  assert_equal "$stderr" "guestfish: *stdin*:2: here-document ended by end of input instead of 'END'"
  run --separate-stderr "$GF" upload -\<\<END /x
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "guestfish: upload: here-documents (-<<END) only work in scripts (-f or standard input)"
}

@test "a missing -f script is reported before any launch" {
  truncate -s 1M "$T/d.img"
  run --separate-stderr timeout 5 "$GF" -a "$T/d.img" -m /dev/sda1 -f "$T/nope.gf"
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "guestfish: $T/nope.gf: No such file or directory"
}
