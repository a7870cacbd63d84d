using System.Security.Cryptography;
using System.Xml.Linq;
using Frontlijn.UnitTests.Configuration;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.UnitTests.Sessions;

public sealed class SessionSettingsTests
{
    private static readonly DatabaseSettings Sqlite = new(DatabaseProvider.Sqlite, "Data Source=x.db");
    private static readonly DatabaseSettings Postgres = new(DatabaseProvider.Postgres, "Host=db");

    [Fact]
    public void Defaults_AreThirtyMinutesIdle_AndTenHoursAtMost()
    {
        var settings = SessionSettings.FromConfiguration(Config.From());
        Assert.Equal(TimeSpan.FromMinutes(30), settings.Idle);
        Assert.Equal(TimeSpan.FromHours(10), settings.Absolute);
    }

    [Fact]
    public void ConfiguredValues_AreUsed_AndNonsenseIsRefused()
    {
        var settings = SessionSettings.FromConfiguration(Config.From(("Auth:IdleMinutes", "15"), ("Auth:SessionHours", "8")));
        Assert.Equal(TimeSpan.FromMinutes(15), settings.Idle);
        Assert.Equal(TimeSpan.FromHours(8), settings.Absolute);
        Assert.Throws<InvalidOperationException>(() => SessionSettings.FromConfiguration(Config.From(("Auth:IdleMinutes", "0"))));
        Assert.Throws<InvalidOperationException>(() => SessionSettings.FromConfiguration(Config.From(("Auth:SessionHours", "0"))));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    [InlineData("Demo")]
    public void KeyEncryptionKey_IsRequired_OutsideDevelopment(string environment)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            KeyEncryptionKey.FromConfiguration(Config.From(), new TestEnvironment(environment), Sqlite));
        Assert.Contains("DataProtection:KeyEncryptionKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyEncryptionKey_HasADevelopmentDefault_OnlyOnSqlite()
    {
        Assert.NotNull(KeyEncryptionKey.FromConfiguration(Config.From(), new TestEnvironment("Development"), Sqlite));
        Assert.Throws<InvalidOperationException>(() =>
            KeyEncryptionKey.FromConfiguration(Config.From(), new TestEnvironment("Development"), Postgres));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")] // 3 bytes
    public void KeyEncryptionKey_MustBe32BytesOfBase64(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => KeyEncryptionKey.FromConfiguration(
            Config.From(("DataProtection:KeyEncryptionKey", value)), new TestEnvironment("Production"), Postgres));
        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptedKeys_RoundTrip_AndAnotherKeyCannotReadThem()
    {
        KeyEncryptionKey Key(byte[] bytes) => KeyEncryptionKey.FromConfiguration(
            Config.From(("DataProtection:KeyEncryptionKey", Convert.ToBase64String(bytes))), new TestEnvironment("Production"), Postgres);
        var key = Key(RandomNumberGenerator.GetBytes(32));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var plain = new XElement("key", new XElement("masterKey", new XElement("value", secret)));

        var encrypted = new AesGcmXmlEncryptor(key).Encrypt(plain);
        Assert.DoesNotContain(secret, encrypted.EncryptedElement.ToString(), StringComparison.Ordinal);
        Assert.Equal(typeof(AesGcmXmlDecryptor), encrypted.DecryptorType);

        var decrypted = new AesGcmXmlDecryptor(new ServiceCollection().AddSingleton(key).BuildServiceProvider())
            .Decrypt(encrypted.EncryptedElement);
        Assert.Equal(secret, decrypted.Element("masterKey")!.Element("value")!.Value);

        var other = new AesGcmXmlDecryptor(new ServiceCollection().AddSingleton(Key(RandomNumberGenerator.GetBytes(32))).BuildServiceProvider());
        Assert.ThrowsAny<CryptographicException>(() => other.Decrypt(encrypted.EncryptedElement));

        // A changed byte in the ciphertext is detected (GCM tag), not decrypted into garbage.
        var value = encrypted.EncryptedElement.Elements().Single(e => e.Name.LocalName == "value");
        var bytes = Convert.FromBase64String(value.Value);
        bytes[^1] ^= 1;
        value.Value = Convert.ToBase64String(bytes);
        Assert.ThrowsAny<CryptographicException>(() => new AesGcmXmlDecryptor(
            new ServiceCollection().AddSingleton(key).BuildServiceProvider()).Decrypt(encrypted.EncryptedElement));
    }
}
