using System.Net;
using System.Net.Sockets;

namespace RevokeFunctions.Tests.Platform;

/// <summary>Settings that point the app's storage at a loopback port nothing listens on: connection refused, every time.</summary>
public static class UnreachableDependencies
{
    // Azurite's published development account key: it opens nothing but a local emulator.
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>A loopback port that was free a moment ago and has no listener.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The ledger (and so the storm guard, which shares its account) on a closed port, with the SDK's default retries.</summary>
    public static Dictionary<string, string?> StorageAccount() => new()
    {
        ["Ledger:connectionString"] =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:{ClosedPort()}/devstoreaccount1;",
    };

    /// <summary>The ledger signing in with the app's credential (as in Azure), at an endpoint the request never reaches.</summary>
    public static Dictionary<string, string?> StorageWithCredential() => new()
    {
        ["Ledger:connectionString"] = null,
        ["Ledger:serviceUri"] = $"https://127.0.0.1:{ClosedPort()}/devstoreaccount1",
    };
}
