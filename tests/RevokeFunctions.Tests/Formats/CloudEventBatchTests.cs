using System.Text;
using System.Text.Json.Nodes;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Splitting a CloudEvents JSON batch into requests: strict like any body, refused whole or item by item.</summary>
public sealed class CloudEventBatchTests
{
    private static JsonArray Batch() => SampleFiles.Load("eventgrid-cloudevents-batch.json").AsArray();

    private static CloudEventBatch Split(string json) => FormatParsing.Parser.SplitBatch(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("application/cloudevents-batch+json", true)]
    [InlineData("application/cloudevents-batch+json; charset=utf-8", true)]
    [InlineData("Application/CloudEvents-Batch+JSON", true)]
    [InlineData("application/cloudevents+json", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void The_batch_is_told_by_its_media_type(string? contentType, bool batch)
    {
        Assert.Equal(batch, CloudEventBatch.IsBatch(contentType));
    }

    [Fact]
    public void Each_event_keeps_its_own_bytes_and_ID()
    {
        var batch = Split(Batch().ToJsonString());

        Assert.Null(batch.Error);
        Assert.Equal(["6f0b1d9e-2c4a-4e8f-b1d3-7a9c5e0f2b46", "a3e5c7f9-1b2d-4f6a-8c0e-9d1b3f5a7c28"], batch.Items.Select(i => i.EventId));
        Assert.Equal([0, 1], batch.Items.Select(i => i.Index));
        var first = JsonNode.Parse(batch.Items[0].Body.Span)!;
        Assert.True(JsonNode.DeepEquals(Batch()[0], first));
    }

    [Fact]
    public void An_item_that_is_not_a_CloudEvent_is_refused_alone_with_its_index()
    {
        var batch = Batch();
        batch.Insert(1, new JsonObject { ["user"] = "alice@contoso.com" });
        batch.Add("text");

        var split = Split(batch.ToJsonString());

        Assert.Null(split.Error);
        Assert.Equal(4, split.Items.Count);
        Assert.Null(split.Items[0].Error);
        Assert.Equal("$[1]", split.Items[1].Error!.Path);
        Assert.Null(split.Items[2].Error);
        Assert.Equal(PayloadErrorKind.SchemaViolation, split.Items[3].Error!.Kind);
    }

    [Theory]
    [InlineData("[]", PayloadErrorKind.NoTargetUser)]
    [InlineData("{\"specversion\":\"1.0\"}", PayloadErrorKind.SchemaViolation)]
    [InlineData("[{\"a\":1,\"a\":2}]", PayloadErrorKind.DuplicateProperty)]
    [InlineData("[{\"a\":1},]", PayloadErrorKind.MalformedJson)]
    [InlineData("", PayloadErrorKind.EmptyBody)]
    public void A_batch_that_breaks_the_body_rules_is_refused_whole(string json, PayloadErrorKind kind)
    {
        var split = Split(json);

        Assert.Equal(kind, split.Error?.Kind);
        Assert.Empty(split.Items);
    }

    [Fact]
    public void More_events_than_Limits_MaxBatchEvents_refuse_the_batch_before_anything_is_read()
    {
        var batch = new JsonArray();
        for (var i = 0; i < new PayloadLimits().MaxBatchEvents + 1; i++)
            batch.Add(Batch()[0]!.DeepClone());

        var split = Split(batch.ToJsonString());

        Assert.Equal(PayloadErrorKind.TooLarge, split.Error?.Kind);
        Assert.Contains("maxEventsPerBatch", split.Error!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" \n [{}]", true)]
    [InlineData("\uFEFF[{}]", true)]
    [InlineData("{\"value\":[]}", false)]
    [InlineData("", false)]
    public void A_file_is_a_batch_when_its_JSON_is_an_array(string text, bool batch)
    {
        Assert.Equal(batch, CloudEventBatch.LooksLikeBatch(Encoding.UTF8.GetBytes(text)));
    }
}
