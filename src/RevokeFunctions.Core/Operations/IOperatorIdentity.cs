namespace RevokeFunctions.Operations;

/// <summary>Who is running an operator command, as stamped on what it changes.</summary>
public interface IOperatorIdentity
{
    Task<string> GetNameAsync(CancellationToken cancellationToken);
}
