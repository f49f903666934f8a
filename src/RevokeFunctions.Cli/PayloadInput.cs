namespace RevokeFunctions.Cli;

/// <summary>Reads a payload from a file, or from standard input for <c>-</c>.</summary>
internal static class PayloadInput
{
    /// <summary>The bytes; null (after saying why) when the file cannot be read.</summary>
    public static async Task<byte[]?> ReadAsync(string path, Stream input, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            if (path != "-")
                return await File.ReadAllBytesAsync(path, cancellationToken);
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read the payload '{path}': {ex.Message}");
            return null;
        }
    }
}
