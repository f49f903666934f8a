using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Tests.Operations;

/// <summary>
/// What Service Bus holds in <c>revocations/$deadletterqueue</c>: the letters, which of them are locked, and a log of
/// every operation in order, shared with the <see cref="DeduplicatingSender"/> so a test can see that a copy was sent
/// before its letter was completed. Receivers over it behave as Service Bus's do for the operations the tool uses.
/// </summary>
public sealed class DeadLetterSubQueue
{
    private readonly List<ServiceBusReceivedMessage> letters = [];
    private readonly Dictionary<Guid, long> locks = [];
    private readonly List<string> log = [];
    private long nextSequence = 1000;

    public IReadOnlyList<ServiceBusReceivedMessage> Letters
    {
        get
        {
            lock (letters)
                return [.. letters];
        }
    }

    public IReadOnlyList<string> Log
    {
        get
        {
            lock (letters)
                return [.. log];
        }
    }

    public int LockedCount
    {
        get
        {
            lock (letters)
                return locks.Count;
        }
    }

    public bool Contains(long sequenceNumber) => Letters.Any(l => l.SequenceNumber == sequenceNumber);

    /// <summary>Puts a letter in the sub-queue as Service Bus dead-letters it: same body and id, its own sequence number.</summary>
    public ServiceBusReceivedMessage Add(
        byte[] body, IDictionary<string, object> properties, string? messageId = null, string? contentType = "application/json",
        DateTimeOffset? enqueuedAt = null, string? subject = null)
    {
        lock (letters)
        {
            var letter = Message(body, properties, messageId ?? Guid.NewGuid().ToString("D"), contentType, subject,
                nextSequence++, enqueuedAt ?? DateTimeOffset.UtcNow, Guid.Empty);
            letters.Add(letter);
            return letter;
        }
    }

    /// <summary>The locks a crashed process held run out: every letter is visible again.</summary>
    public void ExpireLocks()
    {
        lock (letters)
            locks.Clear();
    }

    public void Record(string entry)
    {
        lock (letters)
            log.Add(entry);
    }

    internal IReadOnlyList<ServiceBusReceivedMessage> Peek(int max, long? from)
    {
        lock (letters)
        {
            log.Add("peek");
            return [.. letters.Where(l => l.SequenceNumber >= (from ?? 0)).OrderBy(l => l.SequenceNumber).Take(max)];
        }
    }

    internal IReadOnlyList<ServiceBusReceivedMessage> Lock(int max)
    {
        lock (letters)
        {
            var free = letters.Where(l => !locks.ContainsValue(l.SequenceNumber)).Take(max).ToList();
            var locked = new List<ServiceBusReceivedMessage>();
            foreach (var letter in free)
            {
                var token = Guid.NewGuid();
                locks[token] = letter.SequenceNumber;
                log.Add($"receive {letter.SequenceNumber}");
                locked.Add(Message(letter.Body.ToArray(), new Dictionary<string, object>(letter.ApplicationProperties), letter.MessageId,
                    letter.ContentType, letter.Subject, letter.SequenceNumber, letter.EnqueuedTime, token));
            }
            return locked;
        }
    }

    internal void Complete(ServiceBusReceivedMessage message)
    {
        lock (letters)
        {
            if (!locks.Remove(Guid.Parse(message.LockToken), out var sequence))
                throw new ServiceBusException("The lock supplied is invalid.", ServiceBusFailureReason.MessageLockLost);
            letters.RemoveAll(l => l.SequenceNumber == sequence);
            log.Add($"complete {sequence}");
        }
    }

    internal void Abandon(ServiceBusReceivedMessage message)
    {
        lock (letters)
        {
            if (!locks.Remove(Guid.Parse(message.LockToken), out var sequence))
                throw new ServiceBusException("The lock supplied is invalid.", ServiceBusFailureReason.MessageLockLost);
            log.Add($"abandon {sequence}");
        }
    }

    private static ServiceBusReceivedMessage Message(
        byte[] body, IDictionary<string, object> properties, string messageId, string? contentType, string? subject, long sequence,
        DateTimeOffset enqueuedAt, Guid lockToken) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromBytes(body),
            messageId: messageId,
            subject: subject,
            contentType: contentType,
            properties: properties,
            lockTokenGuid: lockToken,
            deliveryCount: 1,
            lockedUntil: lockToken == Guid.Empty ? default : DateTimeOffset.UtcNow.AddMinutes(2),
            sequenceNumber: sequence,
            enqueuedTime: enqueuedAt);
}
