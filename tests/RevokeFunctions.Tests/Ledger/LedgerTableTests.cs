using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RevokeFunctions.App;
using RevokeFunctions.App.Ledger;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using static RevokeFunctions.Tests.Ledger.LedgerRequests;

namespace RevokeFunctions.Tests.Ledger;

/// <summary>The ledger's table itself on Azurite: its columns, its optimistic concurrency, its retention, its settings.</summary>
public sealed class LedgerTableTests
{
    [Fact]
    public async Task A_row_holds_every_audit_field_under_its_documented_column_name()
    {
        await using var env = await TestEnvironment.StartAsync();
        var context = Fresh() with { IdempotencyKey = NewKey() };
        await env.Pipeline.ProcessAsync(await File.ReadAllBytesAsync(TestPaths.Fixture("valid/sentinel-incident.json")), context, CancellationToken.None);
        var key = Assert.IsType<LedgerEntry>((await env.Ledger.ListAsync(context.RequestId, CancellationToken.None))[0]).Key;

        var table = env.Services.GetRequiredService<TableServiceClient>().GetTableClient(env.LedgerTableName);
        var row = (await table.GetEntityAsync<TableEntity>(key.PartitionKey, key.RowKey)).Value;

        Assert.Equal(context.RequestId, row.GetString("RequestId"));
        Assert.Equal(context.IdempotencyKey, row.GetString("IdempotencyKey"));
        Assert.Equal("Key", row.GetString("Scope"));
        Assert.Equal("sentinel-incident", row.GetString("SourceKind"));
        Assert.Equal("4821", row.GetString("SourceNumber"));
        Assert.Equal("High", row.GetString("SourceSeverity"));
        Assert.NotNull(row.GetString("SourceId"));
        Assert.NotNull(row.GetString("SourceUrl"));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 6, 49, 31, TimeSpan.Zero), row.GetDateTimeOffset("EventTime"));
        Assert.Equal("responder@contoso.com", row.GetString("Requester"));
        Assert.Equal(FixtureUsers.Bob, row.GetString("UserId"));
        Assert.Equal(("Revoked", "Revoked"), (row.GetString("State"), row.GetString("Outcome")));
        Assert.Equal(1, row.GetInt32("Attempts"));
        Assert.False(string.IsNullOrEmpty(row.GetString("GraphRequestId")));
        Assert.NotNull(row.GetString("Given"));
        Assert.NotNull(row.GetDateTimeOffset("ClaimedAt"));
        Assert.True(row.GetDateTimeOffset("UpdatedAt") >= row.GetDateTimeOffset("CreatedAt"));
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_loses_and_changes_nothing()
    {
        await using var env = await TestEnvironment.StartAsync();
        var context = Fresh();
        await env.Pipeline.ProcessAsync(Native(), context, CancellationToken.None);
        var read = (await env.Ledger.ListAsync(context.RequestId, CancellationToken.None))[0];

        var first = await env.Ledger.TryReplaceAsync(read with { Detail = "first writer" }, CancellationToken.None);
        var second = await env.Ledger.TryReplaceAsync(read with { Detail = "second writer" }, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal("first writer", (await env.Ledger.FindAsync(read.Key, CancellationToken.None))!.Detail);
    }

    [Fact]
    public async Task The_daily_purge_deletes_rows_and_links_past_retention_and_keeps_the_rest()
    {
        await using var env = await TestEnvironment.StartAsync();
        var context = Fresh();
        await env.Pipeline.ProcessAsync(Native(), context, CancellationToken.None);
        var options = Options.Create(new LedgerOptions { Retention = TimeSpan.FromDays(1) });

        await Purge(env, options, ahead: TimeSpan.FromHours(23));
        Assert.Single(await env.Ledger.ListAsync(context.RequestId, CancellationToken.None));

        await Purge(env, options, ahead: TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Empty(await env.Ledger.ListAsync(context.RequestId, CancellationToken.None));
        var table = env.Services.GetRequiredService<TableServiceClient>().GetTableClient(env.LedgerTableName);
        Assert.Empty(await table.QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task Without_ledger_settings_nothing_is_recorded_and_users_are_still_revoked()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Ledger:connectionString"] = null });

        var target = Assert.Single((await env.Pipeline.ProcessAsync(Native(), Fresh(), CancellationToken.None)).Targets);

        Assert.False(env.Ledger.IsConfigured);
        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.False(target.LedgerPending);
    }

    [Theory]
    [InlineData("Ledger:connectionString", "DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net", "only for Azurite")]
    [InlineData("Ledger:serviceUri", "http://contoso.table.core.windows.net", "https")]
    [InlineData("Ledger:TableName", "no-dashes", "TableName")]
    [InlineData("Ledger:Retention", "00:10:00", "Retention")]
    [InlineData("WEBSITE_INSTANCE_ID", "0a1b2c", "required")]
    public void Settings_that_would_hold_a_secret_or_lose_the_audit_trail_stop_the_app(string setting, string value, string named)
    {
        var values = new Dictionary<string, string?> { [setting] = value, ["Azure:Credential"] = "Developer" };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        AppComposition.Configure(services, configuration);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LedgerOptions>>().Value);

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    private static Task Purge(TestEnvironment env, IOptions<LedgerOptions> options, TimeSpan ahead) =>
        new PurgeLedgerFunction(env.Ledger, options, new AheadOfNow(ahead), NullLogger<PurgeLedgerFunction>.Instance)
            .RunAsync(new TimerInfo(), CancellationToken.None);

    private sealed class AheadOfNow(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }
}
