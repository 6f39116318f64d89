#!/usr/bin/env bash
# The system packages each command needs, in one place: `make test`, `make study` and `.ci/run` all call this first,
# before any virtual environment or training work.
#   tools/system-packages.sh test    make, Python's venv module, chromium (the browser tests), npm (the site's assets),
#                                    and a one-node Slurm cluster (27_slurm): slurmctld, slurmd, slurmdbd, slurm-client,
#                                    munge and mariadb-server (Slurm's accounting, which submitit reads job states from)
#   tools/system-packages.sh study   make, Python's venv module, npm
# What is missing is installed with apt-get when this user can (root, or sudo without a password prompt); otherwise the
# script stops at once with one line naming the missing packages and the command that installs them.
set -euo pipefail
what=${1:-}
python=${PYTHON:-python3.11}
has() { command -v "$1" >/dev/null 2>&1; }
# daemons live in /usr/sbin, which a user's PATH may lack
installed() { has "$1" || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }

missing=()
has make || missing+=(make)
if ! has "$python"; then missing+=(python3 python3-venv)              # Debian 12's python3 is 3.11
elif ! "$python" -c "import venv, ensurepip" 2>/dev/null; then missing+=(python3-venv); fi   # Debian ships venv apart
case "$what" in
  test)  has chromium || has chromium-browser || missing+=(chromium); has npm || missing+=(npm)
         for pair in slurmctld:slurmctld slurmd:slurmd slurmdbd:slurmdbd sbatch:slurm-client munged:munge mariadbd:mariadb-server; do
           installed "${pair%%:*}" || missing+=("${pair#*:}")
         done ;;
  study) has npm || missing+=(npm) ;;
  *) echo "usage: tools/system-packages.sh test|study" >&2; exit 2 ;;
esac
[ ${#missing[@]} -eq 0 ] && exit 0

if ! has apt-get; then
  echo "error: missing system packages for 'make $what': ${missing[*]}; install them with your system's package manager." >&2; exit 1
fi
if [ "$(id -u)" = 0 ]; then sudo=""
elif has sudo && sudo -n true 2>/dev/null; then sudo="sudo"
else
  echo "error: missing system packages for 'make $what': ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2; exit 1
fi
echo "installing system packages for 'make $what': ${missing[*]} (apt-get)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
