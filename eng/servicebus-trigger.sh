#!/usr/bin/env bash
# Sourced by the project's scripts (test.sh, run-local.sh, and so .ci/run): decides once per run whether the build can
# have the Service Bus queue trigger. The App project's default is ServiceBusTrigger=on; where the package sources lack
# Microsoft.Azure.Functions.Worker.Extensions.ServiceBus (this project's CI feed), the scripts build with it off and say
# so in one line. A ServiceBusTrigger set in the environment is respected as it is. Never used for publishing, which
# needs the trigger (the project refuses to publish without it).
#
#   servicebus_trigger_detect   sets and exports ServiceBusTrigger (on|off), printing one line when it chooses off

servicebus_trigger_detect() {
  local root version probe status
  if [ -n "${ServiceBusTrigger:-}" ]; then
    export ServiceBusTrigger
    return 0
  fi
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  version="$(sed -n 's:.*<ServiceBusExtensionVersion>\(.*\)</ServiceBusExtensionVersion>.*:\1:p' "$root/Directory.Packages.props")"
  # Already restored once on this machine: nothing to ask the package sources.
  if [ -f "${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.azure.functions.worker.extensions.servicebus/$version/microsoft.azure.functions.worker.extensions.servicebus.nuspec" ]; then
    export ServiceBusTrigger=on
    return 0
  fi
  # Ask the configured package sources with a throwaway project outside the repository (no Directory.* files apply).
  probe="$(mktemp -d)"
  cat >"$probe/probe.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="Microsoft.Azure.Functions.Worker.Extensions.ServiceBus" Version="[$version]" /></ItemGroup>
</Project>
PROJ
  status=0
  (cd "$root" && dotnet restore "$probe/probe.csproj" --nologo -v q >"$probe/restore.log" 2>&1) || status=$?
  if [ "$status" -eq 0 ]; then
    export ServiceBusTrigger=on
  else
    export ServiceBusTrigger=off
    echo "Service Bus queue trigger OFF for this run: the package sources do not serve Microsoft.Azure.Functions.Worker.Extensions.ServiceBus $version (set ServiceBusTrigger=on to insist)."
  fi
  rm -rf "$probe"
}
