package com.cloudextender.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A generated company directory for the directory benchmark, written as LDIF for slapadd: {@code users}
 * inetOrgPerson entries under ou=People, {@code groups} groupOfNames of {@code groupSize} consecutive
 * users each under ou=Groups, and one large group of the first {@code bigGroup} users. The first
 * {@code withPassword} users have a password ({@link #password(int)}), stored in the LDIF only as a
 * salted SHA-1 hash ({SSHA}), so no password is written in clear. Immutable.
 */
record BenchDirectoryLdif(String suffix, int users, int groups, int groupSize, int bigGroup, int withPassword,
        String passwordSeed) {

    static final String BIG_GROUP = "all-staff";

    /** A layout with a random password seed, so that passwords differ from run to run. */
    static BenchDirectoryLdif of(String suffix, int users, int groups, int groupSize, int bigGroup, int withPassword) {
        byte[] seed = new byte[9];
        new SecureRandom().nextBytes(seed);
        return new BenchDirectoryLdif(suffix, users, groups, groupSize, bigGroup, Math.min(withPassword, users),
                Base64.getUrlEncoder().encodeToString(seed));
    }

    String people() {
        return "ou=People," + suffix;
    }

    static String uid(int i) {
        return String.format("user%06d", i);
    }

    String userDn(int i) {
        return "uid=" + uid(i) + "," + people();
    }

    /** The password of user {@code i} (only users below {@link #withPassword()} have one). */
    String password(int i) {
        return "Bench-" + passwordSeed + "-" + i;
    }

    /** The entries the directory module synchronises: ou=People, ou=Groups, the users and the groups. */
    long entriesInScope() {
        return 2L + users + groups + (bigGroup > 0 ? 1 : 0);
    }

    /** Writes the users and groups (not the base entries, which scripts/peers/openldap adds) to {@code file}. */
    Path write(Path file) throws IOException {
        SecureRandom salts = new SecureRandom();
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            for (int i = 0; i < users; i++) {
                String uid = uid(i);
                w.append("dn: ").append(userDn(i)).append('\n')
                        .append("objectClass: inetOrgPerson\n")
                        .append("uid: ").append(uid).append('\n')
                        .append("cn: Bench User ").append(Integer.toString(i)).append('\n')
                        .append("sn: User").append(Integer.toString(i)).append('\n')
                        .append("givenName: Bench\n")
                        .append("displayName: Bench User ").append(Integer.toString(i)).append('\n')
                        .append("mail: ").append(uid).append("@example.test\n");
                if (i < withPassword) {
                    w.append("userPassword: ").append(ssha(password(i), salts)).append('\n');
                }
                w.append('\n');
            }
            String groupsOu = "ou=Groups," + suffix;
            for (int g = 0; g < groups; g++) {
                w.append("dn: cn=group-").append(String.format("%04d", g)).append(',').append(groupsOu).append('\n')
                        .append("objectClass: groupOfNames\ncn: group-").append(String.format("%04d", g)).append('\n');
                for (int k = 0; k < groupSize; k++) {
                    w.append("member: ").append(userDn((g * groupSize + k) % users)).append('\n');
                }
                w.append('\n');
            }
            if (bigGroup > 0) {
                w.append("dn: cn=").append(BIG_GROUP).append(',').append(groupsOu).append('\n')
                        .append("objectClass: groupOfNames\ncn: ").append(BIG_GROUP).append('\n');
                for (int k = 0; k < Math.min(bigGroup, users); k++) {
                    w.append("member: ").append(userDn(k)).append('\n');
                }
                w.append('\n');
            }
        }
        return file;
    }

    /** Without the password seed: the layout only. */
    @Override
    public String toString() {
        return String.format("%,d users, %d groups of %,d, one group of %,d, %,d with a password, under %s", users,
                groups, groupSize, bigGroup, withPassword, suffix);
    }

    /** {SSHA}: base64(SHA-1(password + salt) + salt), the scheme slapd verifies natively. */
    private static String ssha(String password, SecureRandom salts) {
        try {
            byte[] salt = new byte[8];
            salts.nextBytes(salt);
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            sha1.update(salt);
            byte[] digest = sha1.digest();
            byte[] both = new byte[digest.length + salt.length];
            System.arraycopy(digest, 0, both, 0, digest.length);
            System.arraycopy(salt, 0, both, digest.length, salt.length);
            return "{SSHA}" + Base64.getEncoder().encodeToString(both);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which every Java platform must have", e);
        }
    }
}
