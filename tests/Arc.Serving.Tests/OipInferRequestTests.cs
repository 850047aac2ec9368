using System.Text;
using Arc.Types;

namespace Arc.Serving.Tests;

/// <summary>
/// An infer request read in one pass: numbers that come after their datatype and shape go straight into their array,
/// any other order takes the element path, and both give the same tensors and the same refusals; the JSON is checked
/// to its end either way.
/// </summary>
public sealed class OipInferRequestTests
{
    private static OipInferRequest Read(string json) => OipInferRequest.Read(Encoding.UTF8.GetBytes(json), null);

    private static string Refusal(string json) => Assert.Throws<OipRequestException>(() => Read(json)).Message;

    private static void AssertSameTensors(OipInferRequest expected, OipInferRequest actual)
    {
        Assert.Equal(expected.Inputs.Count, actual.Inputs.Count);
        foreach (var (e, a) in expected.Inputs.Zip(actual.Inputs))
        {
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Datatype, a.Datatype);
            Assert.Equal(e.Shape, a.Shape);
            Assert.Equal(e.Strings, a.Strings);
            Assert.Equal(e.Numbers?.UnsafeBuffer.ToArray(), a.Numbers?.UnsafeBuffer.ToArray());
        }
    }

    [Theory]
    [InlineData("FP32", "[2, 2]", "[[0.5, -2.25], [3e2, 0.1]]")]
    [InlineData("FP64", "[4]", "[0.1, 0.30000000000000004, -1e-300, 7]")]
    [InlineData("INT32", "[2, 2]", "[[1, -2], [3, 2147483647]]")]
    [InlineData("INT64", "[3]", "[9007199254740993, -1, 0]")]
    [InlineData("UINT8", "[3]", "[0, 128, 255]")]
    [InlineData("BOOL", "[2]", "[true, false]")]
    [InlineData("BYTES", "[2]", "[\"a\", \"ü\"]")]
    public void Data_before_or_after_its_datatype_and_shape_give_the_same_tensor(string datatype, string shape, string data)
    {
        var inOrder = Read($$"""{"id":"1","inputs":[{"name":"x","datatype":"{{datatype}}","shape":{{shape}},"data":{{data}}},{"name":"y","shape":[1],"datatype":"FP32","data":[1]}]}""");
        var dataFirst = Read($$"""{"inputs":[{"data":{{data}},"name":"x","shape":{{shape}},"datatype":"{{datatype}}"},{"data":[1],"name":"y","shape":[1],"datatype":"FP32"}],"id":"1"}""");
        AssertSameTensors(dataFirst, inOrder);
        Assert.Equal("1", inOrder.Id);
        Assert.Equal(datatype, inOrder.Inputs[0].Datatype);
    }

    [Fact]
    public void What_follows_the_numbers_is_read_as_usual()
    {
        var request = Read("""
            { "inputs" : [ { "name" : "x", "datatype" : "FP32", "shape" : [ 2 ], "data" : [ 1 , 2 ] , "extra": {"a": [1, "b"]} } ],
              "outputs": [ { "name": "probabilities", "parameters": { "binary_data": true } } ],
              "parameters": { "binary_data_output": false }, "unknown": [[[]]] }
            """);
        Assert.Equal([1f, 2f], request.Inputs[0].Numbers!.ToArray<float>());
        Assert.Equal([("probabilities", true)], request.Outputs);
        Assert.False(request.BinaryOutputs);
    }

    [Fact]
    public void Escaped_property_names_are_the_names_they_spell()
    {
        var request = Read("""{"in\u0070uts":[{"name":"x","d\u0061tatype":"FP32","shape":[2],"d\u0061ta":[1,2]}]}""");
        Assert.Equal([1f, 2f], request.Inputs[0].Numbers!.ToArray<float>());
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2,]}]}""")]   // broken inside the numbers
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,02]}]}""")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2]]}""")]     // broken after them
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2]}]} x""")]  // something after the object
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2]}]""")]
    [InlineData("")]
    public void Text_that_is_not_JSON_is_refused_as_the_body(string json)
        => Assert.StartsWith("body: is not valid JSON", Refusal(json));

    [Theory]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[4],"data":[1,"2",3,4]}]}""", "inputs[0].data[1]: is String, not a number (FP32)")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[4],"data":[1,2,1e39,4]}]}""", "inputs[0].data[2]: is 1e39, beyond the range of FP32")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"INT64","shape":[2],"data":[1,2.5]}]}""", "inputs[0].data[1]: is '2.5', not an INT64")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[4],"data":[1,2,3]}]}""", "inputs[0].data: has 3 elements; shape [4] needs 4")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2],"parameters":{"binary_data_size":8}}]}""", "inputs[0].data: is given with binary_data_size; send one or the other")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2,-1],"data":[1,2]}]}""", "inputs[0].shape: has '-1', not a dimension (a whole number ≥ 0)")]
    [InlineData("""{"inputs":[{"datatype":"FP32","shape":[2],"data":[1,2]}]}""", "inputs[0].name: is missing or not a string")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP16","shape":[2],"data":[1,2]}]}""", "inputs[0].datatype: is 'FP16'; this server takes BOOL, UINT8, INT32, INT64, FP32, FP64, BYTES")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2]}],"inputs":[]}""", "inputs: appears twice")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2],"shape":[1,2]}]}""", "inputs[0].shape: appears twice")]
    [InlineData("""{"inputs":[{"name":"x","shape":[2],"data":[1,2],"datatype":"FP32","datatype":"INT64"}]}""", "inputs[0].datatype: appears twice")]
    [InlineData("""{"id":7,"inputs":[]}""", "id: is not a string")]
    [InlineData("""{"inputs":[]}""", "inputs: is empty")]
    [InlineData("""{"outputs":[]}""", "inputs: is missing or not an array")]
    [InlineData("""[1, 2]""", "body: is not a JSON object")]
    public void A_bad_field_is_refused_by_name_whichever_path_read_it(string json, string message)
        => Assert.Equal(message, Refusal(json));

    [Fact]
    public void A_shape_that_claims_more_numbers_than_the_text_holds_is_refused_without_allocating_for_it()
    {
        string json = """{"inputs":[{"name":"x","datatype":"FP64","shape":[1000000000],"data":[1]}]}""";
        Read("""{"inputs":[{"name":"x","datatype":"FP64","shape":[1],"data":[1]}]}"""); // the code paths warmed up
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal("inputs[0].data: has 1 elements; shape [1000000000] needs 1000000000", Refusal(json));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "a refused request allocated for its claimed shape");
    }

    [Fact]
    public void Binary_and_JSON_inputs_of_one_request_each_get_their_own_data()
    {
        byte[] header = Encoding.UTF8.GetBytes("""
            {"inputs":[{"name":"a","datatype":"FP32","shape":[2],"parameters":{"binary_data_size":8}},
                       {"name":"b","datatype":"INT64","shape":[2],"data":[5,6]},
                       {"name":"c","datatype":"UINT8","shape":[3],"parameters":{"binary_data_size":3}}]}
            """);
        byte[] a = [.. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-2f)];
        byte[] body = [.. header, .. a, 7, 8, 9];
        var request = OipInferRequest.Read(body, header.Length);
        Assert.Equal([1.5f, -2f], request.Inputs[0].Numbers!.ToArray<float>());
        Assert.Equal([5L, 6L], request.Inputs[1].Numbers!.ToArray<long>());
        Assert.Equal(new byte[] { 7, 8, 9 }, request.Inputs[2].Numbers!.ToArray<byte>());
    }
}
