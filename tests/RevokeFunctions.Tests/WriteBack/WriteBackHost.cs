using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Guards;
using RevokeFunctions.Tests.Queue;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>
/// The app's real composition (HTTP function, queue handler, pipeline, ledger on Azurite, Graph SDK against the
/// sandbox) with the write-back pointed at local stand-ins: one for Azure Resource Manager, one for the chat webhook.
/// The token credential is a substitute holding a recognisable secret, and every log line is captured, so tests
/// can show that no token and no webhook secret is ever sent where it should not go or written to a log.
/// </summary>
public sealed class WriteBackHost : IAsyncDisposable
{
    /// <summary>The signature in the webhook URL: a secret, as in a real Teams or Slack workflow URL.</summary>
    public const string WebhookSecret = "sig-7Hq2SECRETd0Nt10G";

    /// <summary>The token the fake credential hands out.</summary>
    public const string TokenSecret = "eyJ0eXAiOiJKV1QiSECRET-TOKEN-VALUE";

    public const string WebhookPath = "/workflows/5d2c/triggers/manual/paths/invoke";

    private WriteBackHost(QueueTestEnvironment env, StandInServer arm, StandInServer webhook, CapturedLogs logs, TokenCredential credential)
    {
        Env = env;
        Arm = arm;
        Webhook = webhook;
        Logs = logs;
        Credential = credential;
    }

    public QueueTestEnvironment Env { get; }

    public StandInServer Arm { get; }

    public StandInServer Webhook { get; }

    public CapturedLogs Logs { get; }

    public TokenCredential Credential { get; }

    public GraphSandbox.GraphSandboxServer Sandbox => Env.Sandbox;

    public IServiceProvider Services => Env.Services;

    public WriteBackOutbox Outbox => Services.GetRequiredService<WriteBackOutbox>();

    /// <summary>What the delivery timer does once: delivers every request due in the outbox.</summary>
    public Task<IReadOnlyList<WriteBackReport>> DeliverAsync() =>
        Services.GetRequiredService<WriteBackDelivery>().DeliverDueAsync(CancellationToken.None);

    /// <summary>The outbox's rows: requests whose write-back is due or being retried.</summary>
    public async Task<IReadOnlyList<TableEntity>> OutboxAsync()
    {
        var table = Services.GetRequiredService<TableServiceClient>()
            .GetTableClient(Services.GetRequiredService<IOptions<LedgerOptions>>().Value.TableName);
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {WriteBackRecord.OutboxPartition}")))
                rows.Add(row);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Nothing was ever written.
        }
        return rows;
    }

    public RevocationPipeline Pipeline => Services.GetRequiredService<RevocationPipeline>();

    /// <summary>Everything on, retries within a call immediate; <paramref name="settings"/> override (null removes a setting).</summary>
    /// <param name="time">The app's clock, for tests that move it (a FakeTimeProvider).</param>
    /// <param name="replace">Services registered after the app's own, replacing them.</param>
    public static async Task<WriteBackHost> StartAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null,
        Action<IServiceCollection>? replace = null)
    {
        var arm = await StandInServer.StartAsync();
        var webhook = await StandInServer.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["WriteBack:SentinelComments"] = "true",
            ["WriteBack:DefenderComments"] = "true",
            ["WriteBack:ArmBaseUrl"] = arm.BaseUrl.ToString(),
            ["WriteBack:RetryDelay"] = "00:00:00",
            ["WriteBack:CallTimeout"] = "00:00:05",
            ["Notifications:Webhook:Enabled"] = "true",
            ["Notifications:Webhook:Url"] = $"{webhook.BaseUrl.ToString().TrimEnd('/')}{WebhookPath}?api-version=1&sig={WebhookSecret}",
            ["Notifications:ManagerEmail:Enabled"] = "true",
            ["Notifications:ManagerEmail:Sender"] = "tessa.morgan@contoso.com",
            // The proof of a revocation holds a Defender comment back until it is in; the tests about it switch it on.
            ["Revocation:Verification:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;

        var logs = new CapturedLogs();
        var credential = TestCredentials.Handing(TokenSecret);
        var env = await QueueTestEnvironment.StartAsync(values, time, replace: services =>
        {
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
            services.AddSingleton<TokenCredential>(credential);
            replace?.Invoke(services);
        });
        return new WriteBackHost(env, arm, webhook, logs, credential);
    }

    /// <summary>The write-back's rows in the ledger's table: every <c>w-</c> partition.</summary>
    public async Task<IReadOnlyList<TableEntity>> RecordAsync()
    {
        var table = Services.GetRequiredService<TableServiceClient>()
            .GetTableClient(Services.GetRequiredService<IOptions<LedgerOptions>>().Value.TableName);
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>("PartitionKey ge 'w-' and PartitionKey lt 'w.'"))
                rows.Add(row);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Nothing was ever written: not even the ledger's table exists.
        }
        return rows;
    }

    /// <summary>The one request row of the record.</summary>
    public async Task<TableEntity> RequestRowAsync() =>
        Assert.Single(await RecordAsync(), r => r.RowKey == "request");

    /// <summary>Every captured log line, messages, structured values and exceptions together.</summary>
    public string AllLogText() => string.Join("\n", Logs.Entries.Select(e => e.Message + " " + e.Exception));

    public async ValueTask DisposeAsync()
    {
        await Env.DisposeAsync();
        await Arm.DisposeAsync();
        await Webhook.DisposeAsync();
    }
}
