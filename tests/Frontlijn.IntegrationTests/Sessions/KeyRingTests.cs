using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.IntegrationTests.Sessions;

/// <summary>
/// The Data Protection key ring lives in the database (data_protection_keys), shared by every node and kept over a
/// restart, and each key in it is encrypted with DataProtection:KeyEncryptionKey.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class KeyRingTests
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ACookieFromNodeA_WorksOnNodeB_AndAfterARestart(string provider)
    {
        var nodeA = await TestApp.StartAsync(provider);
        try
        {
            await using (var nodeB = TestApp.StartNode(nodeA))
            {
                await nodeA.ResetAsync();
                using var onA = new CookieBrowser(nodeA);
                await onA.SignInAsync("admin");
                await SessionLifetimeTests.Ok(onA);

                using var onB = onA.CopyTo(nodeB.ServerAddress);
                await SessionLifetimeTests.Ok(onB);
                // Node B's pages can read node A's antiforgery cookie too: a form from A posts to B.
                var token = await onA.FormTokenAsync("/afmelden");
                using var signOut = await onB.SendAsync(HttpMethod.Post, "/afmelden", new FormUrlEncodedContent(
                    new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
                Assert.Equal(System.Net.HttpStatusCode.Redirect, signOut.StatusCode);
                // ... and signing out on B ends the session for A as well.
                await SessionLifetimeTests.Refused(onA, "/api/v1/users");
            }

            using var before = new CookieBrowser(nodeA);
            await before.SignInAsync("admin");
            nodeA = await nodeA.RestartAsync();
            using var after = before.CopyTo(nodeA.ServerAddress);
            await SessionLifetimeTests.Ok(after);
        }
        finally
        {
            await nodeA.DisposeAsync();
        }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task StoredKeys_AreEncryptedWithTheKeyEncryptionKey_AndHoldNoPlaintextMasterKey(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        using var browser = new CookieBrowser(app);
        await browser.SignInAsync("admin"); // the key ring is certainly in use now

        List<string> rows;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            rows = (await db.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
        }
        Assert.NotEmpty(rows);
        foreach (var xml in rows)
        {
            var key = XElement.Parse(xml);
            Assert.Equal("key", key.Name.LocalName);
            Assert.DoesNotContain(key.Descendants(), e => e.Name.LocalName == "masterKey");
            XNamespace ns = "urn:frontlijn:data-protection";
            var encrypted = Assert.Single(key.Descendants(ns + "encryptedKey"));
            Assert.Equal("A256GCM", (string?)encrypted.Attribute("alg"));

            // Decrypt it here, independently, with the configured key: inside is the real key with its master key,
            // whose value appears nowhere in what the database holds.
            var plaintext = XElement.Parse(Decrypt(encrypted));
            var masterKey = Assert.Single(plaintext.DescendantsAndSelf(), e => e.Name.LocalName == "masterKey");
            var secret = masterKey.Descendants().First(e => e.Name.LocalName == "value").Value;
            Assert.True(Convert.FromBase64String(secret).Length >= 32, "the master key is not there");
            Assert.DoesNotContain(secret, xml, StringComparison.Ordinal);
        }
    }

    /// <summary>AES-256-GCM, value = base64(nonce 12 ‖ tag 16 ‖ ciphertext), associated data = the kek attribute.</summary>
    private static string Decrypt(XElement encrypted)
    {
        var kek = Convert.FromBase64String(TestApp.KeyEncryptionKey);
        var id = (string)encrypted.Attribute("kek")!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(kek).AsSpan(0, 8)), id);
        var data = Convert.FromBase64String(encrypted.Elements().Single(e => e.Name.LocalName == "value").Value);
        var plaintext = new byte[data.Length - 28];
        using var aes = new AesGcm(kek, 16);
        aes.Decrypt(data.AsSpan(0, 12), data.AsSpan(28), data.AsSpan(12, 16), plaintext, Encoding.ASCII.GetBytes(id));
        return Encoding.UTF8.GetString(plaintext);
    }
}
