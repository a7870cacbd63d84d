using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>Small HTTP helpers that assert the API's conventions on every answer they read.</summary>
public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sends and returns the JSON body; fails with the body text when the status is not the expected one.</summary>
    public static async Task<JsonNode> ExpectAsync(this Task<HttpResponseMessage> sending, HttpStatusCode expected)
    {
        using var response = await sending;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        Assert.True(response.Headers.TryGetValues("API-Version", out var versions), "API-Version header missing");
        Assert.Equal("1.0.0", versions!.Single());
        if ((int)expected >= 400)
        {
            AssertProblem(response, body, (int)expected);
        }
        return string.IsNullOrEmpty(body) ? new JsonObject() : JsonNode.Parse(body)!;
    }

    /// <summary>A 4xx/5xx must be application/problem+json with status, title and detail.</summary>
    public static JsonNode AssertProblem(HttpResponseMessage response, string body, int status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), "problem title missing");
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), "problem detail missing");
        return problem;
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, Json);

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string path, object body) =>
        client.PutAsJsonAsync(path, body, Json);

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string path, string body, string contentType = "application/json") =>
        client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, contentType));

    public static Guid Id(this JsonNode node, string property = "id") => Guid.Parse(node[property]!.GetValue<string>());
}
