using System.Net.Sockets;
using Azure.Messaging.ServiceBus;
using RevokeFunctions.Cli;
using RevokeFunctions.Operations;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Cli;

namespace RevokeFunctions.Tests.Operations;

/// <summary>What an operator reads when the dead-letter queue cannot be used: which setting, which role, which namespace.</summary>
public sealed class DeadLetterAccessTests
{
    private static Task<(int Exit, string Output, string Error)> CliAsync(DeadLetterQueue tool, params string[] args) => DlqCli.RunAsync(tool, args);

    [Fact]
    public async Task Without_the_receiver_role_list_names_the_role_and_exits_77()
    {
        var subQueue = new DeadLetterSubQueue();
        var receiver = new DeadLetterReceiver(subQueue)
        {
            Failure = new UnauthorizedAccessException("Unauthorized access. 'Listen' claim(s) are required to perform this operation."),
        };

        var (exit, output, error) = await CliAsync(Letters.Tool(receiver, new DeduplicatingSender(subQueue)), "list");

        Assert.Equal(CliExitCode.NotPermitted, exit);
        Assert.Equal("", output);
        Assert.Contains("'Azure Service Bus Data Receiver' on that queue", error, StringComparison.Ordinal);
        Assert.Contains("contoso-revoke.servicebus.windows.net", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_sender_role_resubmit_keeps_the_letter_names_the_role_and_exits_77()
    {
        var subQueue = new DeadLetterSubQueue();
        var first = Letters.Add(subQueue, ReasonCode.UserNotFound);
        var second = Letters.Add(subQueue, ReasonCode.UserNotFound);
        var sender = new DeduplicatingSender(subQueue)
        {
            Failure = new UnauthorizedAccessException("Unauthorized access. 'Send' claim(s) are required to perform this operation."),
        };

        var (exit, output, error) = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), sender), "resubmit", "--all");

        Assert.Equal(CliExitCode.NotPermitted, exit);
        Assert.Contains("'Azure Service Bus Data Sender' on that queue", error, StringComparison.Ordinal);
        Assert.Contains($"{first.SequenceNumber}  Failed", output, StringComparison.Ordinal);
        Assert.Contains($"{second.SequenceNumber}  NotReceived", output, StringComparison.Ordinal);
        Assert.Equal([first.SequenceNumber, second.SequenceNumber], subQueue.Letters.Select(l => l.SequenceNumber));
        Assert.Equal(0, subQueue.LockedCount);
    }

    [Fact]
    public async Task An_unknown_namespace_and_an_unknown_queue_are_told_apart_and_exit_69()
    {
        var subQueue = new DeadLetterSubQueue();
        var dns = new DeadLetterReceiver(subQueue)
        {
            Failure = new ServiceBusException("No such host is known.", ServiceBusFailureReason.ServiceCommunicationProblem,
                innerException: new SocketException((int)SocketError.HostNotFound)),
        };
        var queue = new DeadLetterReceiver(subQueue)
        {
            Failure = new ServiceBusException("The messaging entity could not be found.", ServiceBusFailureReason.MessagingEntityNotFound),
        };

        var unknownNamespace = await CliAsync(Letters.Tool(dns, new DeduplicatingSender(subQueue)), "list");
        var unknownQueue = await CliAsync(Letters.Tool(queue, new DeduplicatingSender(subQueue)), "show", "1");

        Assert.Equal(CliExitCode.Unavailable, unknownNamespace.Exit);
        Assert.Contains("'contoso-revoke.servicebus.windows.net' does not exist", unknownNamespace.Error, StringComparison.Ordinal);
        Assert.Contains("ServiceBus__fullyQualifiedNamespace", unknownNamespace.Error, StringComparison.Ordinal);
        Assert.Equal(CliExitCode.Unavailable, unknownQueue.Exit);
        Assert.Contains("has no queue 'revocations': set RevocationQueueName", unknownQueue.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contoso-revoke.servicebus.windows.net", "contoso-revoke.servicebus.windows.net")]
    [InlineData(" sb://contoso-revoke.servicebus.windows.net/ ", "contoso-revoke.servicebus.windows.net")]
    [InlineData("https://contoso-revoke.servicebus.usgovcloudapi.net:443/", "contoso-revoke.servicebus.usgovcloudapi.net")]
    public void A_namespace_is_taken_as_a_host_name(string setting, string host) =>
        Assert.Equal(host, DeadLetterQueueConnection.HostOf(setting));

    [Theory]
    [InlineData(null, "No Service Bus namespace is configured")]
    [InlineData("", "No Service Bus namespace is configured")]
    [InlineData("contoso-revoke", "is not a fully qualified namespace")]
    [InlineData("Endpoint=sb://contoso-revoke.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=c2VjcmV0", "holds a connection string")]
    public void A_missing_or_wrong_namespace_setting_is_refused_before_anything_is_contacted(string? setting, string message)
    {
        var ex = Assert.Throws<DeadLetterAccessException>(() => DeadLetterQueueConnection.HostOf(setting));

        Assert.Equal(DeadLetterAccessFailure.NotConfigured, ex.Failure);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_receiver_on_the_main_queue_is_refused()
    {
        var subQueue = new DeadLetterSubQueue();

        var ex = Assert.Throws<ArgumentException>(() => Letters.Tool(new DeadLetterReceiver(subQueue, "revocations"), new DeduplicatingSender(subQueue)));

        Assert.Contains("not a dead-letter sub-queue", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_namespace_the_cli_says_what_to_set_and_exits_69()
    {
        // Unset in the child whatever this process has, as on a machine nobody configured.
        var (exit, output, error) = await CliProcess.RunBuiltAsync(
            new Dictionary<string, string?> { ["ServiceBus__fullyQualifiedNamespace"] = null }, "dlq", "list");

        Assert.Equal(CliExitCode.Unavailable, exit);
        Assert.Equal("", output);
        Assert.Contains("set ServiceBus__fullyQualifiedNamespace=<name>.servicebus.windows.net", error, StringComparison.Ordinal);
    }
}
