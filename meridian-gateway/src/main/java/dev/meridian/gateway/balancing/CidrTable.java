package dev.meridian.gateway.balancing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Client address → region by the longest matching CIDR block (IPv4 and IPv6). */
public final class CidrTable {

  public static final CidrTable EMPTY = new CidrTable(List.of());

  private record Block(byte[] network, int prefix, String region) {
    boolean contains(byte[] a) {
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (a[full] & mask) == (network[full] & mask);
    }
  }

  private final Block[] blocks;

  private CidrTable(List<Block> blocks) {
    this.blocks =
        blocks.stream()
            .sorted(Comparator.comparingInt(Block::prefix).reversed())
            .toArray(Block[]::new);
  }

  /**
   * @param regions CIDR ({@code 10.1.0.0/16}, {@code 2001:db8::/32}) → region
   */
  public static CidrTable of(Map<String, String> regions) {
    List<Block> blocks = new ArrayList<>();
    regions.forEach((cidr, region) -> blocks.add(parse(cidr, region)));
    return new CidrTable(blocks);
  }

  private static Block parse(String cidr, String region) {
    int slash = cidr.indexOf('/');
    String host = slash < 0 ? cidr : cidr.substring(0, slash);
    if (!host.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP address: " + cidr);
    }
    byte[] network;
    try {
      network = InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + cidr, e);
    }
    int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
    if (prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException("bad prefix length: " + cidr);
    }
    return new Block(network, prefix, region);
  }

  public boolean isEmpty() {
    return blocks.length == 0;
  }

  /** The region of the longest block holding {@code address}, or null. */
  public String regionOf(InetAddress address) {
    if (blocks.length == 0 || address == null) {
      return null;
    }
    byte[] a = address.getAddress();
    for (Block b : blocks) {
      if (b.contains(a)) {
        return b.region;
      }
    }
    return null;
  }
}
