"""Regenerates the certificate fixtures of the crypto builtin tests (keys are kept)."""
import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def key(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def name(*pairs):
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs])


START = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2120, 1, 1, tzinfo=datetime.timezone.utc)


def cert(subject, issuer, pub, signer, serial, exts, path):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
         .public_key(pub).serial_number(serial).not_valid_before(START).not_valid_after(END))
    for ext, critical in exts:
        b = b.add_extension(ext, critical)
    c = b.sign(signer, hashes.SHA256())
    with open(path, "wb") as f:
        f.write(c.public_bytes(serialization.Encoding.PEM))
    return c


def ca_exts(pub, path_len, issuer_pub=None):
    exts = [
        (x509.BasicConstraints(ca=True, path_length=path_len), True),
        (x509.KeyUsage(False, False, False, False, False, True, True, False, False), True),
        (x509.SubjectKeyIdentifier.from_public_key(pub), False),
    ]
    if issuer_pub is not None:
        exts.append((x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_pub), False))
    return exts


root_key, inter_key, leaf_key = key("root.key"), key("inter.key"), key("rsa.pem")
root_name = name((NameOID.COUNTRY_NAME, "US"), (NameOID.ORGANIZATION_NAME, "Rego Test"),
                 (NameOID.COMMON_NAME, "Rego Test Root"))
inter_name = name((NameOID.ORGANIZATION_NAME, "Rego Test"), (NameOID.COMMON_NAME, "Rego Test Intermediate"))
leaf_name = name((NameOID.COUNTRY_NAME, "GB"), (NameOID.STATE_OR_PROVINCE_NAME, "London"),
                 (NameOID.LOCALITY_NAME, "City"), (NameOID.ORGANIZATION_NAME, "Rego"),
                 (NameOID.ORGANIZATIONAL_UNIT_NAME, "Builtins"), (NameOID.COMMON_NAME, "leaf.example.com"),
                 (NameOID.SERIAL_NUMBER, "42"))
cert(root_name, root_name, root_key.public_key(), root_key, 1, ca_exts(root_key.public_key(), 1), "root.pem")
cert(inter_name, root_name, inter_key.public_key(), root_key, 2,
     ca_exts(inter_key.public_key(), 0, root_key.public_key()), "inter.pem")
leaf_exts = [
    (x509.BasicConstraints(ca=False, path_length=None), True),
    (x509.KeyUsage(True, False, True, False, False, False, False, False, False), True),
    (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), False),
    (x509.SubjectAlternativeName([
        x509.DNSName("leaf.example.com"), x509.DNSName("*.wild.example.com"),
        x509.IPAddress(ipaddress.ip_address("10.1.2.3")), x509.RFC822Name("ops@example.com"),
        x509.UniformResourceIdentifier("spiffe://example.com/leaf?x=1#frag")]), False),
    (x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), False),
    (x509.AuthorityKeyIdentifier.from_issuer_public_key(inter_key.public_key()), False),
    (x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.2.1"), None)]), False),
    (x509.CRLDistributionPoints([x509.DistributionPoint(
        [x509.UniformResourceIdentifier("http://crl.example.com/ca.crl")], None, None, None)]), False),
    (x509.AuthorityInformationAccess([
        x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.OCSP,
                               x509.UniformResourceIdentifier("http://ocsp.example.com")),
        x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
                               x509.UniformResourceIdentifier("http://ca.example.com/ca.crt"))]), False),
]
cert(leaf_name, inter_name, leaf_key.public_key(), inter_key, 0x0123456789ABCDEF0123, leaf_exts, "leaf.pem")
cert(leaf_name, inter_name, leaf_key.public_key(), inter_key, 7, [
    (x509.BasicConstraints(ca=False, path_length=None), True),
    (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False)], "codesign.pem")

csr = (x509.CertificateSigningRequestBuilder().subject_name(leaf_name)
       .add_extension(x509.SubjectAlternativeName([
           x509.DNSName("leaf.example.com"), x509.UniformResourceIdentifier("spiffe://example.com/leaf")]), False)
       .sign(leaf_key, hashes.SHA256()))
with open("leaf.csr", "wb") as f:
    f.write(csr.public_bytes(serialization.Encoding.PEM))
