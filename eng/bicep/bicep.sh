#!/usr/bin/env bash
# Bicep CLI for this repository, fetched from NuGet (Azure.Bicep.CommandLine.linux-x64, pinned in Bicep.props).
#
#   bash eng/bicep/bicep.sh path    print the bicep executable (restoring eng/bicep/Bicep.proj first if needed)
#   bash eng/bicep/bicep.sh build   build every infra/**/*.bicep into a temporary folder (never into the repo)
#   bash eng/bicep/bicep.sh lint    lint every infra/**/*.bicep
#
# build and lint fail on any diagnostic: a Warning or Error line is a failure, as is a non-zero exit of bicep.
# No network is needed beyond NuGet: the templates use no registry modules and no Bicep extensions.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
project="$script_dir/Bicep.proj"

bicep_path() {
  local path
  # -getProperty evaluates after restore has written NuGetPackageRoot (obj/*.nuget.g.props); restore is quick when
  # the package is already in the cache.
  dotnet restore "$project" --verbosity quiet >&2
  path="$(dotnet msbuild "$project" -nologo -getProperty:BicepCliPath)"
  if [[ ! -f "$path" ]]; then
    echo "bicep.sh: restore finished but $path does not exist" >&2
    exit 1
  fi
  # NuGet extraction does not always keep the execute bit.
  [[ -x "$path" ]] || chmod +x "$path"
  printf '%s\n' "$path"
}

# Runs bicep with the given arguments; prints its output; fails on a non-zero exit or any Warning/Error line.
run_checked() {
  local bicep="$1"; shift
  local output status=0
  output="$("$bicep" "$@" 2>&1)" || status=$?
  if [[ -n "$output" ]]; then
    printf '%s\n' "$output"
  fi
  if (( status != 0 )); then
    echo "bicep.sh: bicep $1 exited with $status" >&2
    return 1
  fi
  if grep -Eq '(: (Warning|Error) )|(^(Warning|Error)\b)' <<<"$output"; then
    echo "bicep.sh: bicep $1 reported diagnostics; zero warnings are required" >&2
    return 1
  fi
}

# One bicep process for all files (--pattern): the CLI starts slowly, and it compiles shared modules once.
pattern='infra/**/*.bicep'
build_out=''

cmd_build() {
  local bicep
  bicep="$(bicep_path)"
  build_out="$(mktemp -d "${TMPDIR:-/tmp}/bicep-build.XXXXXX")"
  trap 'rm -rf "$build_out"' EXIT
  cd "$repo_root"
  run_checked "$bicep" build --pattern "$pattern" --outdir "$build_out"
  echo "bicep.sh: built $(find "$build_out" -name '*.json' | wc -l) template(s) from $pattern with no diagnostics (into a temporary folder, since removed)"
}

cmd_lint() {
  local bicep
  bicep="$(bicep_path)"
  cd "$repo_root"
  run_checked "$bicep" lint --pattern "$pattern"
  echo "bicep.sh: linted $(find infra -name '*.bicep' -type f | wc -l) file(s) matching $pattern with no diagnostics"
}

case "${1:-}" in
  path) bicep_path ;;
  build) cmd_build ;;
  lint) cmd_lint ;;
  *)
    echo "usage: bash eng/bicep/bicep.sh path|build|lint" >&2
    exit 2
    ;;
esac
