using System.Net;

namespace RevokeFunctions.WriteBack;

/// <summary>Where write-backs may send: https anywhere, plain http only to this machine (the tests' stand-ins).</summary>
internal static class EndpointRules
{
    public static bool IsHttpsOrLoopback(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)));

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
}
