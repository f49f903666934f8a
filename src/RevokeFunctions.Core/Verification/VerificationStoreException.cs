namespace RevokeFunctions.Verification;

/// <summary>The verification outbox could not be read or written (Table storage down, slow, or not configured).</summary>
public sealed class VerificationStoreException : Exception
{
    public VerificationStoreException()
    {
    }

    public VerificationStoreException(string message)
        : base(message)
    {
    }

    public VerificationStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
