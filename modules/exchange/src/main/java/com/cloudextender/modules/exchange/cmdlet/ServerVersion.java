package com.cloudextender.modules.exchange.cmdlet;

/**
 * The Exchange version a backend talks to: Exchange Online, or an on-premises build such as
 * {@code 15.2.1118.7} (2019) or {@code 14.3.123.4} (2010, major version 14). Immutable.
 *
 * @param product {@code Exchange Online} or {@code Exchange 2010} … {@code Exchange 2019}
 * @param build   the build number as the server reports it, or empty
 */
public record ServerVersion(String product, String build) {
    /** Exchange Online. */
    public static final ServerVersion ONLINE = new ServerVersion("Exchange Online", "");

    /** The version of an on-premises server reporting {@code build} (AdminDisplayVersion or a build). */
    public static ServerVersion onPremises(String build) {
        String digits = build.replaceAll("^[^0-9]*", "");
        String[] parts = digits.split("[^0-9]+");
        int major = parts.length > 0 && !parts[0].isEmpty() ? Integer.parseInt(parts[0]) : 0;
        int minor = parts.length > 1 && !parts[1].isEmpty() ? Integer.parseInt(parts[1]) : 0;
        String product = switch (major) {
            case 14 -> "Exchange 2010";
            case 15 -> switch (minor) {
                case 0 -> "Exchange 2013";
                case 1 -> "Exchange 2016";
                default -> "Exchange 2019";
            };
            default -> throw new IllegalArgumentException("unsupported Exchange version '" + build
                    + "': this module supports Exchange 2010 (14.x) to 2019 (15.2)");
        };
        return new ServerVersion(product, digits);
    }

    /** True for Exchange 2010, whose cmdlets have the older names and no account-only wipe. */
    public boolean isExchange2010() {
        return product.equals("Exchange 2010");
    }
}
