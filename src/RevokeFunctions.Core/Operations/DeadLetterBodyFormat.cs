namespace RevokeFunctions.Operations;

/// <summary>How <see cref="DeadLetterBody.Text"/> renders the body.</summary>
public enum DeadLetterBodyFormat
{
    /// <summary>Valid JSON, re-indented.</summary>
    Json,

    /// <summary>UTF-8 text that is not JSON, as it is.</summary>
    Text,

    /// <summary>Not UTF-8 (or an AMQP value body): base64 of the bytes.</summary>
    Base64,
}
