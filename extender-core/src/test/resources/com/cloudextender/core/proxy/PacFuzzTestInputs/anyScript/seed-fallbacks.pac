function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, ".intranet.test")) return "DIRECT";
  if (isInNet(host, "10.0.0.0", "255.0.0.0")) return "PROXY squid.corp:3128";
  if (shExpMatch(host, "*.example.com")) return "PROXY dead.corp:1; PROXY alive.corp:2; DIRECT";
  return "PROXY other.corp:8080; SOCKS socks.corp:1080";
}
