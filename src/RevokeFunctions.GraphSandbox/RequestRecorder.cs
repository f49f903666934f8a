namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// What the sandbox saw. Each request takes a sequence number on arrival and is recorded when it completes, in arrival
/// order. A reset forgets everything numbered before it, including requests still in flight, so their late completion
/// cannot leak into the next test's counts.
/// </summary>
internal sealed class RequestRecorder
{
    private readonly Lock sync = new();
    private readonly List<(long Sequence, SandboxRequest Request)> requests = [];
    private readonly Dictionary<Guid, int> revocations = [];
    private readonly List<SandboxAlertComment> alertComments = [];
    private readonly List<SandboxMail> sentMail = [];
    private long lastSequence;
    private long resetAfter;
    private int totalRevocations;
    private int throttled;

    public int TotalRevocations
    {
        get
        {
            lock (sync)
                return totalRevocations;
        }
    }

    public int Throttled
    {
        get
        {
            lock (sync)
                return throttled;
        }
    }

    public IReadOnlyList<SandboxRequest> Requests
    {
        get
        {
            lock (sync)
                return requests.Select(entry => entry.Request).ToArray();
        }
    }

    public IReadOnlyList<SandboxAlertComment> AlertComments
    {
        get
        {
            lock (sync)
                return alertComments.ToArray();
        }
    }

    public IReadOnlyList<SandboxMail> SentMail
    {
        get
        {
            lock (sync)
                return sentMail.ToArray();
        }
    }

    public void RecordAlertComment(long sequence, SandboxAlertComment comment)
    {
        lock (sync)
        {
            if (sequence > resetAfter)
                alertComments.Add(comment);
        }
    }

    public void RecordMail(long sequence, SandboxMail mail)
    {
        lock (sync)
        {
            if (sequence > resetAfter)
                sentMail.Add(mail);
        }
    }

    public long NextSequence() => Interlocked.Increment(ref lastSequence);

    public void Record(long sequence, SandboxRequest request)
    {
        lock (sync)
        {
            if (sequence <= resetAfter)
                return;
            if (request.StatusCode == 429)
                throttled++;

            // Completion order is nearly arrival order, so walking back from the end is short.
            var index = requests.Count;
            while (index > 0 && requests[index - 1].Sequence > sequence)
                index--;
            requests.Insert(index, (sequence, request));
        }
    }

    public void CountRevocation(long sequence, Guid userId)
    {
        lock (sync)
        {
            if (sequence <= resetAfter)
                return;
            revocations[userId] = revocations.GetValueOrDefault(userId) + 1;
            totalRevocations++;
        }
    }

    public int RevocationCount(Guid userId)
    {
        lock (sync)
            return revocations.GetValueOrDefault(userId);
    }

    public void Reset()
    {
        lock (sync)
        {
            resetAfter = Interlocked.Read(ref lastSequence);
            requests.Clear();
            revocations.Clear();
            alertComments.Clear();
            sentMail.Clear();
            totalRevocations = 0;
            throttled = 0;
        }
    }
}
