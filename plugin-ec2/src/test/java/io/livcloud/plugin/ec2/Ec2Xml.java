package io.livcloud.plugin.ec2;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * EC2 Query API answers as AWS writes them: {@code <ActionResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">}
 * with a {@code requestId} and the action's elements (lower camel case, lists as {@code <xxxSet><item>}), and errors
 * as {@code <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>}. Element names are
 * those of EC2's API reference (the same the SDK's model unmarshals).
 */
final class Ec2Xml {

    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final String REQUEST_ID = "59dbff89-35bd-4eac-99ed-be587EXAMPLE";

    private Ec2Xml() {
    }

    /** A successful answer to {@code action}. */
    static String response(String action, String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + NAMESPACE + "\">\n"
                + "    <requestId>" + REQUEST_ID + "</requestId>\n" + body + "\n</" + action + "Response>";
    }

    /** An error answer. */
    static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>" + REQUEST_ID + "</RequestID></Response>";
    }

    /** {@code <tagSet>} with the tags. */
    static String tagSet(Map<String, String> tags) {
        return "<tagSet>" + tags.entrySet().stream()
                .map(tag -> "<item><key>" + tag.getKey() + "</key><value>" + tag.getValue() + "</value></item>")
                .collect(Collectors.joining()) + "</tagSet>";
    }

    /** An instance of {@code instancesSet} (RunInstances, DescribeInstances). */
    static String instance(String id, String state, int stateCode, String publicIp, Map<String, String> tags) {
        return "<item>"
                + "<instanceId>" + id + "</instanceId>"
                + "<imageId>ami-0debian12example0</imageId>"
                + "<instanceState><code>" + stateCode + "</code><name>" + state + "</name></instanceState>"
                + "<privateDnsName>ip-10-98-0-10.eu-west-1.compute.internal</privateDnsName>"
                + "<dnsName/>"
                + "<keyName>livcloud-east</keyName>"
                + "<amiLaunchIndex>0</amiLaunchIndex>"
                + "<instanceType>c8i.large</instanceType>"
                + "<launchTime>2026-03-01T10:00:00.000Z</launchTime>"
                + "<placement><availabilityZone>eu-west-1a</availabilityZone><tenancy>default</tenancy></placement>"
                + "<monitoring><state>disabled</state></monitoring>"
                + "<subnetId>subnet-0a1b2c3d4e5f60001</subnetId>"
                + "<vpcId>vpc-0a1b2c3d4e5f60001</vpcId>"
                + "<privateIpAddress>10.98.0.10</privateIpAddress>"
                + (publicIp.isEmpty() ? "" : "<ipAddress>" + publicIp + "</ipAddress>")
                + "<sourceDestCheck>true</sourceDestCheck>"
                + "<groupSet><item><groupId>sg-0a1b2c3d4e5f60001</groupId><groupName>livcloud-east</groupName></item></groupSet>"
                + "<architecture>x86_64</architecture>"
                + "<rootDeviceType>ebs</rootDeviceType>"
                + "<rootDeviceName>/dev/xvda</rootDeviceName>"
                + "<virtualizationType>hvm</virtualizationType>"
                + "<hypervisor>xen</hypervisor>"
                + "<cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore>"
                + "<nestedVirtualization>enabled</nestedVirtualization></cpuOptions>"
                + "<metadataOptions><state>applied</state><httpTokens>required</httpTokens>"
                + "<httpPutResponseHopLimit>1</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions>"
                + tagSet(tags)
                + "</item>";
    }
}
