namespace RevokeFunctions.GraphSandbox.Tests.Infrastructure;

/// <summary>One sandbox for a class of tests that only read, so they need not pay for a start each.</summary>
public sealed class SharedSandboxFixture : IAsyncLifetime
{
    private SandboxSession? session;

    public SandboxSession Session => session ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public async Task InitializeAsync() => session = await SandboxSession.StartAsync();

    public async Task DisposeAsync()
    {
        if (session is not null)
            await session.DisposeAsync();
    }
}
