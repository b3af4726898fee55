package io.livcloud.plugin.azure;

import io.livcloud.spi.ExtensionException;
import java.util.Locale;
import java.util.Set;

/**
 * Azure's refusals as the user reads them: what failed, in Azure's own words and code, and what to do. The codes are
 * Azure Resource Manager's (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors).
 */
final class AzureErrors {

    private static final Set<String> AUTHENTICATION = Set.of("authenticationfailed", "invalidauthenticationtoken",
            "invalidauthenticationtokentenant", "expiredauthenticationtoken");
    private static final Set<String> AUTHORIZATION = Set.of("authorizationfailed", "linkedauthorizationfailed",
            "requestdisallowedbypolicy");
    private static final Set<String> SUBSCRIPTION = Set.of("subscriptionnotfound", "invalidsubscriptionid",
            "subscriptionnotregistered", "readonlydisabledsubscription", "disallowedoperation");
    private static final Set<String> QUOTA = Set.of("quotaexceeded", "operationnotallowed",
            "publicipcountlimitreached", "insufficientquota");
    private static final Set<String> SIZE = Set.of("skunotavailable", "allocationfailed", "zonalallocationfailed",
            "overconstrainedallocationrequest", "overconstrainedzonalallocationrequest", "vmsizenotsupported");

    private AzureErrors() {
    }

    /** The failure as an {@link ExtensionException} with the plugin's code for it and the remedy. */
    static ExtensionException translate(AzureCallException failure) {
        String code = failure.providerCode().toLowerCase(Locale.ROOT);
        String what = failure.operation() + " failed: " + failure.providerMessage()
                + (failure.providerCode().isEmpty() ? "" : " (" + failure.providerCode() + ")");
        if (AUTHENTICATION.contains(code) || failure.status() == 401) {
            return new ExtensionException(AzureErrorCode.AUTHENTICATION_FAILED, what,
                    "sign in with `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a"
                            + " service principal, or run on an Azure VM with a managed identity"
                            + " (DefaultAzureCredential tries these in turn)", failure);
        }
        if (AUTHORIZATION.contains(code) || failure.status() == 403) {
            return new ExtensionException(AzureErrorCode.AUTHORIZATION_FAILED, what,
                    "give the signed-in identity the Contributor role on the subscription or the resource group"
                            + " (`az role assignment create --role Contributor --assignee <id> --scope <scope>`)",
                    failure);
        }
        if (SUBSCRIPTION.contains(code)) {
            return new ExtensionException(AzureErrorCode.SUBSCRIPTION_NOT_FOUND, what,
                    "check livcloud.extensions.provider.azure.subscription-id against `az account list`; the"
                            + " identity must see the subscription and it must be enabled", failure);
        }
        if (SIZE.contains(code)) {
            return new ExtensionException(AzureErrorCode.SIZE_NOT_AVAILABLE, what,
                    "choose another nested-capable size or location (`az vm list-skus --location <region> --size"
                            + " Standard_D --output table` shows what is offered and restricted); allocation"
                            + " failures often pass when retried later", failure);
        }
        if (QUOTA.contains(code) && (!code.equals("operationnotallowed") || mentionsQuota(failure))) {
            return new ExtensionException(AzureErrorCode.QUOTA_EXCEEDED, what,
                    "request more quota for the size's family in the region (Azure portal: Subscriptions > Usage +"
                            + " quotas; `az vm list-usage --location <region>` shows current use), or choose a"
                            + " smaller size", failure);
        }
        if (failure.status() == 429 || code.equals("toomanyrequests")) {
            return new ExtensionException(AzureErrorCode.THROTTLED, what + "; still throttled after the plugin's"
                    + " retries", "wait a minute and run the command again; raise"
                    + " livcloud.extensions.provider.azure.retries if it keeps happening", failure);
        }
        if (failure.status() == 0) {
            return new ExtensionException(AzureErrorCode.REQUEST_FAILED, what,
                    "check the network path to Azure Resource Manager (proxy settings: HTTPS_PROXY)", failure);
        }
        return new ExtensionException(AzureErrorCode.REQUEST_FAILED, what
                + (failure.status() > 0 ? " [HTTP " + failure.status() + "]" : ""),
                "see Azure's message; the operation can be retried once the cause is fixed", failure);
    }

    /** OperationNotAllowed is Azure's code for quota refusals and for a few unrelated ones; the text tells them apart. */
    private static boolean mentionsQuota(AzureCallException failure) {
        return failure.providerMessage().toLowerCase(Locale.ROOT).contains("quota");
    }
}
