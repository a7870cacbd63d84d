using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Dapper;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// The Data Protection key ring (it protects session cookies, antiforgery tokens and whatever else is protected) lives
/// in the database, table data_protection_keys, so every node reads the same keys and a restart keeps them; each key
/// is encrypted at rest with AES-256-GCM under <c>DataProtection:KeyEncryptionKey</c>, so a copy of the database alone
/// cannot forge a session cookie.
/// </summary>
public static class DataProtectionKeys
{
    /// <summary>One application name for every node: the key ring's purpose strings must match to share cookies.</summary>
    public const string ApplicationName = "Frontlijn";

    public static IServiceCollection AddFrontlijnDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        // Built on first use, so `migrate` needs no key; PrepareAsync resolves it before serving (fail fast).
        services.AddSingleton(sp => KeyEncryptionKey.FromConfiguration(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<DatabaseSettings>()));
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = sp.GetRequiredService<DatabaseXmlRepository>();
            o.XmlEncryptor = new AesGcmXmlEncryptor(sp.GetRequiredService<KeyEncryptionKey>());
        }));
        return services;
    }
}

/// <summary><c>DataProtection:KeyEncryptionKey</c>: base64 of 32 random bytes (<c>openssl rand -base64 32</c>).</summary>
public sealed class KeyEncryptionKey
{
    public const string ConfigurationKey = "DataProtection:KeyEncryptionKey";

    // Development on the embedded SQLite file only, like the BSN hash key: a fixed, public key protects nothing, and
    // every other setup must say which key it uses.
    private static readonly byte[] DevelopmentKey = SHA256.HashData("frontlijn-development-data-protection-key"u8);

    internal KeyEncryptionKey(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("An AES-256 key is 32 bytes.", nameof(key));
        Key = key;
        // Names the key in each stored element, so a wrong key is reported as such (and a later rotation can tell keys apart).
        Id = Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
    }

    internal byte[] Key { get; }
    public string Id { get; }

    public static KeyEncryptionKey FromConfiguration(IConfiguration configuration, IHostEnvironment environment, DatabaseSettings database)
    {
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            if (environment.IsDevelopment() && database.Provider == DatabaseProvider.Sqlite)
            {
                return new KeyEncryptionKey(DevelopmentKey);
            }
            throw new InvalidOperationException(
                $"{ConfigurationKey} must be set (base64 of 32 random bytes, e.g. `openssl rand -base64 32`) outside " +
                "Development on SQLite: it encrypts the Data Protection keys in the database that protect the session " +
                "cookies. Give every node the same value.");
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{ConfigurationKey} is not valid base64; it must be base64 of 32 bytes.");
        }
        if (key.Length != 32)
        {
            throw new InvalidOperationException($"{ConfigurationKey} must be base64 of exactly 32 bytes (was {key.Length}).");
        }
        return new KeyEncryptionKey(key);
    }
}

/// <summary>
/// Stored form: <c>&lt;encryptedKey xmlns="urn:frontlijn:data-protection" alg="A256GCM" kek="…"&gt;&lt;value&gt;base64(nonce ‖
/// tag ‖ ciphertext)&lt;/value&gt;&lt;/encryptedKey&gt;</c>, the ciphertext being the UTF-8 key XML (with its masterKey),
/// the 12-byte nonce random per key and the element's kek id as associated data.
/// </summary>
public sealed class AesGcmXmlEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    public static readonly XNamespace Namespace = "urn:frontlijn:data-protection";
    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var output = new byte[NonceBytes + TagBytes + plaintext.Length];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key.Key, TagBytes))
        {
            aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes + TagBytes), output.AsSpan(NonceBytes, TagBytes),
                Encoding.ASCII.GetBytes(key.Id));
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(Namespace + "encryptedKey",
            new XAttribute("alg", "A256GCM"),
            new XAttribute("kek", key.Id),
            new XComment(" Encrypted with DataProtection:KeyEncryptionKey (AES-256-GCM). "),
            new XElement(Namespace + "value", Convert.ToBase64String(output)));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Created by Data Protection through its activator (hence the service provider constructor).</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<KeyEncryptionKey>();
        var kek = (string?)encryptedElement.Attribute("kek");
        if (!string.Equals(kek, key.Id, StringComparison.Ordinal))
        {
            throw new CryptographicException(
                $"This Data Protection key was encrypted with key encryption key '{kek}', but {KeyEncryptionKey.ConfigurationKey} is '{key.Id}'.");
        }
        var data = Convert.FromBase64String((string?)encryptedElement.Element(AesGcmXmlEncryptor.Namespace + "value") ?? "");
        if (data.Length < AesGcmXmlEncryptor.NonceBytes + AesGcmXmlEncryptor.TagBytes)
        {
            throw new CryptographicException("The encrypted Data Protection key is truncated.");
        }
        var plaintext = new byte[data.Length - AesGcmXmlEncryptor.NonceBytes - AesGcmXmlEncryptor.TagBytes];
        using (var aes = new AesGcm(key.Key, AesGcmXmlEncryptor.TagBytes))
        {
            aes.Decrypt(data.AsSpan(0, AesGcmXmlEncryptor.NonceBytes),
                data.AsSpan(AesGcmXmlEncryptor.NonceBytes + AesGcmXmlEncryptor.TagBytes),
                data.AsSpan(AesGcmXmlEncryptor.NonceBytes, AesGcmXmlEncryptor.TagBytes), plaintext,
                Encoding.ASCII.GetBytes(key.Id));
        }
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// The key ring's store: rows of data_protection_keys, over the project's own connection and dialect (no EF Core).
/// Data Protection calls it synchronously and rarely (start-up, a new key every 90 days, a refresh once a day), so it
/// opens its own short-lived connection with Dapper's synchronous calls instead of blocking on async ones.
/// </summary>
public sealed class DatabaseXmlRepository(DatabaseSettings settings, SqlDialect dialect, TimeProvider time) : IXmlRepository
{
    internal const string SelectSql = "SELECT xml FROM data_protection_keys ORDER BY created_at, friendly_name";

    internal const string InsertSql = """
        INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @now)
        """;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dialect.CreateConnection(settings.ConnectionString);
        connection.Open();
        return connection.Query<string>(dialect.Render(SelectSql)).Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = dialect.CreateConnection(settings.ConnectionString);
        connection.Open();
        // Key ids are random: a second node never stores the same friendly name; if it ever did, the key is kept
        // under a unique name rather than lost.
        var name = string.IsNullOrWhiteSpace(friendlyName) ? "key-" + Guid.NewGuid() : friendlyName;
        var taken = connection.ExecuteScalar<int>(dialect.Render("SELECT COUNT(*) FROM data_protection_keys WHERE friendly_name = @friendlyName"),
            CamelCaseParameters.From(new { friendlyName = name }));
        if (taken > 0) name += "-" + Guid.NewGuid().ToString("N");
        connection.Execute(dialect.Render(InsertSql), CamelCaseParameters.From(new
        {
            friendlyName = name, xml = element.ToString(SaveOptions.DisableFormatting), now = time.GetUtcNow(),
        }));
    }
}
