using Azure;

namespace RevokeFunctions.Verification;

/// <summary>One row of the verification outbox: a revocation still to prove, by when, and the row's ETag.</summary>
internal sealed record VerificationEntry(string RowKey, VerificationTicket Ticket, DateTimeOffset Deadline, ETag ETag);
